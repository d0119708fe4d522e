"""Where apps built on projects add to the project pages (as `ideas.extensions` does for
the idea page).

Gains (and later apps) sit above `projects`; imports run one way, yet the project pages
must show the project's gains. Those apps register here from their `AppConfig.ready()`.

- `project_page_sections`: callables `(project_id, request) -> str` returning HTML ("" for
  nothing) for the public project page. That page is cached whole (projects.fragments);
  the sections are put in at `SECTIONS_MARKER` on every request, so each app caches (and
  invalidates) what it contributes in its own fragments module.
- `staff_project_sections`: callables `(project, request) -> str` for the staff project
  screen (never cached).
- `start_form_hints`: callables `(text, request) -> str` returning HTML shown above the
  staff form that starts a project, given what the project is about (its ideas, or the
  name and summary typed): e.g. similar solutions another municipality has shared, with
  a link to adopt one instead of building it again. Keep to a query or two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe

from ideas.extensions import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from projects.models import Project

# In projects/includes/detail.html, where the sections go.
SECTIONS_MARKER = "<!--project-sections-->"

PageSection = Callable[[int, "HttpRequest"], str]
StaffSection = Callable[["Project", "HttpRequest"], str]
StartHint = Callable[[str, "HttpRequest"], str]

project_page_sections: Registry[PageSection] = Registry()
staff_project_sections: Registry[StaffSection] = Registry()
start_form_hints: Registry[StartHint] = Registry()


def with_sections(content: str, project_id: int, request: HttpRequest) -> SafeString:
    """The public page's content with the registered sections put in at the marker."""
    sections = "".join(render(project_id, request) for render in project_page_sections)
    return mark_safe(content.replace(SECTIONS_MARKER, sections, 1))


def render_staff_sections(project: Project, request: HttpRequest) -> SafeString:
    return mark_safe("".join(render(project, request) for render in staff_project_sections))


def render_start_hints(text: str, request: HttpRequest) -> SafeString:
    if not text.strip():
        return mark_safe("")
    return mark_safe("".join(render(text, request) for render in start_form_hints))
