"""The HTML the ideas app renders once and shares, and where it is cached.

Two kinds live here, and nowhere else in the app:

- Shared fragments (the idea list, the filter fields, an idea page as anonymous visitors
  see it, the ideas on a challenge page): the same for whoever they are shown to, cached
  per process until a version named beside them changes (`portal.versions`). The view
  supplies the rendering; this module decides the key and the versions.
- Content-addressed fragments (an idea's status section, the comment thread, below).

A content-addressed fragment's key is a hash of the values rendered into it (plus the
language and time zone it was rendered in), so a change to any of them is a different
key: nothing is ever invalidated, stale entries simply age out. That is why such
fragments can live in a per-process cache (the "local" alias): no other process can
make an entry wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cms.routing import restriction_index
from portal import versions

if TYPE_CHECKING:
    from ideas.forms import IdeaFilterForm

# --- Shared fragments ---------------------------------------------------------------------

# The idea list's filter fields show the names of challenges, themes and units.
FILTER_VERSIONS = (versions.PAGES, versions.LABELS)
# A page of the idea list: the ideas (support, comments, authors' names), the counts,
# the challenges the ideas answer.
LIST_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES)
# An idea page: the idea, its timeline, tags and comments (IDEAS), the challenge it
# answers (PAGES), the unit that owns it (LABELS).
DETAIL_VERSIONS = (versions.IDEAS, versions.PAGES, versions.LABELS)
# A challenge page's shared parts: its ideas (with support and authors' names), their
# counts, the page itself and its theme/unit.
CHALLENGE_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES, versions.LABELS)


def filter_fields(request: HttpRequest, form: IdeaFilterForm) -> SafeString:
    """The idea list's filter fields, rendered once per language and query.

    The select lists show every challenge, theme and unit; rendering them through
    Django's widget templates costs more than the rest of the page. What they show
    depends only on the query (selected values, errors), the language, the names of
    challenges, themes and units, and which restricted challenges the person may see,
    so that is what the cache key is made of.
    """
    key = "idea-filters:" + versions.fingerprint(
        get_language(),
        sorted(request.GET.lists()),
        # The challenges offered depend on the restrictions that keep this person out.
        restriction_index().hidden_paths(request.user),
    )
    return versions.cached_html(
        FILTER_VERSIONS,
        key,
        lambda: render_to_string("ideas/includes/filter_fields.html", {"form": form}),
    )


def idea_list_parts(
    request: HttpRequest, *, htmx: bool, render: Callable[[], tuple[str, str]]
) -> tuple[SafeString, SafeString]:
    """The idea list's count and results. Cards show what a signed-in person supports,
    so only anonymous visitors share them (per language, query and kind of request)."""
    if request.user.is_authenticated:
        count, results = render()
    else:
        key = versions.fingerprint("idea-list", get_language(), htmx, sorted(request.GET.lists()))
        count, results = versions.cached(LIST_VERSIONS, key, render)
    return mark_safe(count), mark_safe(results)  # rendered by our own templates


def anonymous_idea_page(
    request: HttpRequest, reference: str, render: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """An idea page as anonymous visitors see it: nothing on it is anyone's own, so it is
    rendered once per language and address. `render` returns the page as a dict whose
    "kind" is "page", "missing" or "redirect"; a merged idea's redirect (which leaves a
    message in the visitor's session) is never cached."""
    key = versions.fingerprint("idea-detail", reference, get_language(), request.get_full_path())
    return versions.cached(
        DETAIL_VERSIONS, key, render, keep=lambda page: page["kind"] != "redirect"
    )


def challenge_page_parts(
    *,
    challenge_pk: int,
    page_pk: int | None,
    request: HttpRequest,
    render: Callable[[], tuple[str, str]],
) -> tuple[SafeString, SafeString]:
    """A challenge page's main column and facts box: the same for everyone, rendered
    once per page shown (the challenge or its translation), page number, language and
    day (the status follows the dates)."""
    key = versions.fingerprint(
        "challenge",
        challenge_pk,
        page_pk,
        get_language(),
        timezone.localdate(),
        sorted(request.GET.lists()),  # the pagination links carry the query along
    )
    main, facts = versions.cached(CHALLENGE_VERSIONS, key, render)
    return mark_safe(main), mark_safe(facts)


# --- Content-addressed fragments ----------------------------------------------------------

FRAGMENT_TTL_SECONDS = 24 * 60 * 60


# Content-addressed entries can never be stale, so a per-process cache will do.
FRAGMENT_CACHE = "local"


def content_digest(*values: Any) -> str:
    """A digest of `values` as rendered now: in the active language and time zone.

    Values must have a stable `repr` (strings, numbers, booleans, datetimes, tuples).
    """
    return versions.fingerprint(
        translation.get_language(), timezone.get_current_timezone_name(), *values
    )


def idea_status_digest(idea: Any, public_events: list[Any]) -> str:
    """Names the status section of an idea page (ideas/includes/status.html)."""
    return content_digest(
        idea.status,
        # Its name in the interface language (an English name, when one is written).
        idea.owning_unit.display_name if idea.owning_unit else None,
        idea.created_at,
        [
            (e.kind, e.from_status, e.to_status, e.public_text, e.data, e.created_at)
            for e in public_events
        ],
    )
