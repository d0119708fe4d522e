"""The HTML the projects app renders once and shares, and where it is cached.

- The public project page's content: the same for everyone, cached per process per
  project and language until a version below changes (`portal.versions`).
- The section on an idea page saying which project carries the idea on
  (`ideas.extensions.idea_page_sections`): put into every idea page on every request,
  so it is cached here, per idea and language, and costs no query when warm.

Every table a project page shows is registered with `portal.invalidation` under
`versions.PROJECTS` (projects.apps), so any write to them, whoever makes it, retires
these fragments; the ideas it lists and the units' names retire it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from portal import versions
from projects import selectors

# A project page: the project, its phases, milestones, units and documents (PROJECTS),
# the public ideas it carries on (IDEAS: hiding or withdrawing one), unit names (LABELS).
PAGE_VERSIONS = (versions.PROJECTS, versions.IDEAS, versions.LABELS)
# The idea page's section: the project's name, address and phase.
SECTION_VERSIONS = (versions.PROJECTS,)


def project_page(slug: str, render: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The public page of a project, as `render` returns it: a dict whose "kind" is
    "page" (with "head" and "content") or "missing". Rendered once per language."""
    key = versions.fingerprint("project-page", slug, get_language())
    return versions.cached(PAGE_VERSIONS, key, render)


def idea_project_section(idea_id: int, request: HttpRequest) -> SafeString:
    """ "Carried on in project X (phase)" for the idea page, or nothing."""
    key = versions.fingerprint("idea-project-section", idea_id, get_language())
    return versions.cached_html(SECTION_VERSIONS, key, lambda: _section(idea_id))


def _section(idea_id: int) -> str:
    carried = selectors.project_of_idea(idea_id)
    if carried is None:
        return ""
    return render_to_string("projects/includes/idea_section.html", {"carried": carried})
