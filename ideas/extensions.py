"""Where apps built on ideas add to the idea page and hear of status changes.

Projects and co-creation sit above `ideas` (imports run one way), yet the idea page must
show "this idea is carried on in project X" and "built on 12 inputs from 4 meeting
points", and people who left an input must hear when its idea changes status. Those apps
register here from their `AppConfig.ready()`; `ideas` calls whatever is registered
without knowing who it is.

- `idea_page_sections`: callables `(idea_id, request) -> str` returning HTML ("" for
  nothing); given the id only, because the cached page has no idea object to give.
  The idea page is cached whole (ideas.fragments); the sections are put in at
  `SECTIONS_MARKER` on every request, so each app owns the caching (and invalidation)
  of what it contributes, in its own fragments module, and must keep to a query or two.
- `idea_status_changed`: callables `(idea, event)` run on commit after any status change
  (transitions, merges and their undoing), after the ideas app's own e-mails are queued.
- `triage_idea_sections`: callables `(idea, request) -> str` returning HTML for the staff
  workspace of one idea (the triage page, never cached), e.g. "start a project from this
  idea" or "carried on in project X".
- `idea_form_hints`: callables `(text, request) -> str` returning HTML shown under the
  similar ideas while a citizen writes an idea's title (the htmx fragment, never cached),
  e.g. "Fjordvik solved this in 2026 — see the solution". Keep to a query or two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ideas.models import Idea, IdeaEvent

F = TypeVar("F", bound=Callable)

# In ideas/includes/detail.html, where the sections go. An HTML comment, so a page
# rendered with no sections registered is still valid as it stands.
SECTIONS_MARKER = "<!--idea-sections-->"


class Registry(Generic[F]):
    """An ordered set of callables; registering the same one twice keeps one."""

    def __init__(self) -> None:
        self._callables: list[F] = []

    def register(self, fn: F, *, first: bool = False) -> F:
        """Add `fn` (also usable as a decorator); `first` puts it before the others, for
        a section that leads the page or a listener that must hear before the rest."""
        if fn not in self._callables:
            self._callables.insert(0 if first else len(self._callables), fn)
        return fn

    def unregister(self, fn: F) -> None:
        if fn in self._callables:
            self._callables.remove(fn)

    def __iter__(self):
        return iter(list(self._callables))


SectionRenderer = Callable[[int, "HttpRequest"], str]
StatusListener = Callable[["Idea", "IdeaEvent"], None]
TriageSection = Callable[["Idea", "HttpRequest"], str]
FormHint = Callable[[str, "HttpRequest"], str]

idea_page_sections: Registry[SectionRenderer] = Registry()
idea_status_changed: Registry[StatusListener] = Registry()
triage_idea_sections: Registry[TriageSection] = Registry()
idea_form_hints: Registry[FormHint] = Registry()


def render_sections(idea_id: int, request: HttpRequest) -> SafeString:
    return mark_safe("".join(render(idea_id, request) for render in idea_page_sections))


def with_sections(content: str, idea_id: int, request: HttpRequest) -> SafeString:
    """The idea page's content with the registered sections put in at the marker."""
    sections = render_sections(idea_id, request)
    return mark_safe(content.replace(SECTIONS_MARKER, sections, 1))


def render_triage_sections(idea: Idea, request: HttpRequest) -> SafeString:
    """The registered sections of an idea's triage page, one after another."""
    return mark_safe("".join(render(idea, request) for render in triage_idea_sections))


def render_form_hints(text: str, request: HttpRequest) -> SafeString:
    """The registered hints for the idea being written, one after another."""
    return mark_safe("".join(render(text, request) for render in idea_form_hints))


def status_changed(idea: Idea, event: IdeaEvent) -> None:
    """Tell every listener once the change is committed; called by the status-changing
    actions' side effects, inside their transaction.

    Robust: the change is committed by then, so a listener that fails (its own query
    refused, a mail queue down) is logged and must not make the person who acted
    believe their change failed, nor keep the other listeners from hearing of it."""
    for listener in idea_status_changed:
        transaction.on_commit(_told(listener, idea, event), robust=True)


def _told(listener: StatusListener, idea: Idea, event: IdeaEvent) -> Callable[[], None]:
    def tell() -> None:
        listener(idea, event)

    # Django names a failed robust callback by its qualified name in the log.
    tell.__qualname__ = getattr(listener, "__qualname__", repr(listener))
    return tell
