"""The HTML the ideas app renders once and shares, and where it is cached.

Two kinds live here, and nowhere else in the app:

- Shared fragments (the idea list, the filter fields, an idea page as anonymous visitors
  see it, the ideas on a challenge page): the same for whoever they are shown to, cached
  per process until a version named beside them changes (`portal.versions`). The view
  supplies the rendering; this module decides the key and the versions.
- Content-addressed fragments (an idea's status section, the comment thread, below).
- Shared HTML with personal slots (`SlottedHTML`): the idea page as every logged-in
  citizen sees it, and the idea list's cards. What is someone's own (their support,
  follow, reports, their own comments' and idea's controls, the CSRF token) is left
  as a marked slot with the state of "someone logged in" in it, and filled in per
  request by the view.

A content-addressed fragment's key is a hash of the values rendered into it (plus the
language and time zone it was rendered in), so a change to any of them is a different
key: nothing is ever invalidated, stale entries simply age out. That is why such
fragments can live in a per-process cache (the "local" alias): no other process can
make an entry wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cms.routing import restriction_index
from portal import versions

if TYPE_CHECKING:
    from ideas.forms import IdeaFilterForm

# --- Shared fragments ---------------------------------------------------------------------

# The idea list's filter fields show the names of challenges, themes and units.
FILTER_VERSIONS = (versions.PAGES, versions.LABELS)
# Support counts are live figures (portal.figures): written into every response as they
# are now, so no fragment is cached under SUPPORT unless it is ordered by support.
# A page of the idea list: the ideas (comments, authors' names), the counts, the
# challenges the ideas answer.
LIST_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES)
# An idea page: the idea, its timeline, tags and comments (IDEAS), the challenge it
# answers (PAGES), the unit that owns it (LABELS).
DETAIL_VERSIONS = (versions.IDEAS, versions.PAGES, versions.LABELS)
# A challenge page's shared parts: its ideas' counts and those put into use, the page
# itself and its theme/unit.
CHALLENGE_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES, versions.LABELS)
# The ideas answering it, most supported first (authors' names, tags): votes reorder them.
CHALLENGE_IDEAS_VERSIONS = (*CHALLENGE_VERSIONS, versions.SUPPORT)
# Where the ideas go in the page's main column (an HTML comment: escaped text cannot
# contain one).
RANKED_IDEAS = mark_safe("<!--ideas:ranked-ideas-->")


def filter_fields(
    request: HttpRequest, form: IdeaFilterForm, municipality_id: int | None = None
) -> SafeString:
    """The idea list's filter fields, rendered once per language and query.

    The select lists show every challenge, theme and unit; rendering them through
    Django's widget templates costs more than the rest of the page. What they show
    depends only on the query (selected values, errors), the language, the names of
    challenges, themes and units, and which restricted challenges the person may see,
    so that is what the cache key is made of.
    """
    key = "idea-filters:" + versions.fingerprint(
        # A municipality's own list offers only its challenges, units and themes.
        municipality_id,
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
    request: HttpRequest,
    *,
    htmx: bool,
    render: Callable[[], ListParts],
    municipality_id: int | None = None,
    by_support: bool = False,
) -> ListParts:
    """The idea list's count, results and the ideas shown: the same for everyone (a
    card's "you support this" is a slot, see `SlottedHTML`), so rendered once per
    language, query, kind of request and the restricted challenges the person may not
    see (the filter's choices, so what it accepts, depend on them). `by_support`: the
    list is ordered by support, so every vote may change it."""
    key = versions.fingerprint(
        "idea-list",
        municipality_id,
        get_language(),
        htmx,
        sorted(request.GET.lists()),
        restriction_index().hidden_paths(request.user),
    )
    names = (*LIST_VERSIONS, versions.SUPPORT) if by_support else LIST_VERSIONS
    return versions.cached(names, key, render)


@dataclass(frozen=True)
class ListParts:
    count: SafeString
    results: SlottedHTML
    idea_ids: tuple[int, ...]  # the ideas on the page, to read the person's support of


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


def citizen_idea_page(
    request: HttpRequest, reference: str, render: Callable[[], CitizenPage]
) -> CitizenPage:
    """An idea page as every logged-in citizen sees it: the idea, and the content with
    slots the view fills in for the person (see `SlottedHTML`); rendered once per
    language and address. Only a public idea whose challenge is public has one (then
    nothing else on it differs between citizens); `render` returns an empty page for
    any other."""
    key = versions.fingerprint(
        "idea-detail-citizen", reference, get_language(), request.get_full_path()
    )
    return versions.cached(DETAIL_VERSIONS, key, render)


@dataclass(frozen=True)
class CitizenPage:
    idea: Any  # an Idea (this module renders, it does not import models)
    content: SlottedHTML | None
    # The comments shown, by id, with what their author's own controls show:
    # (author's id, posted, text, hidden, deleted).
    comments: Mapping[int, tuple[Any, ...]] = field(default_factory=dict)


def challenge_page_parts(
    *,
    challenge_pk: int,
    page_pk: int | None,
    request: HttpRequest,
    render: Callable[[], tuple[str, str]],
    render_ideas: Callable[[], str],
) -> tuple[SafeString, SafeString]:
    """A challenge page's main column and facts box: the same for everyone, rendered
    once per page shown (the challenge or its translation), page number, language and
    day (the status follows the dates). The ideas in the main column (`render_ideas`,
    at `RANKED_IDEAS` in what `render` returns) are cached apart, under SUPPORT as
    well: a vote renders only them again."""
    key = versions.fingerprint(
        "challenge",
        challenge_pk,
        page_pk,
        get_language(),
        timezone.localdate(),
        sorted(request.GET.lists()),  # the pagination links carry the query along
    )
    main, facts = versions.cached(CHALLENGE_VERSIONS, key, render)
    ideas = versions.cached(CHALLENGE_IDEAS_VERSIONS, "ideas:" + key, render_ideas)
    # Both were rendered, and escaped, by our own templates.
    return mark_safe(main.replace(RANKED_IDEAS, ideas, 1)), mark_safe(facts)


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


def idea_status_digest(idea: Any, public_events: list[Any], regional: bool = False) -> str:
    """Names the status section of an idea page (ideas/includes/status.html)."""
    return content_digest(
        idea.status,
        # Its name in the interface language (an English name, when one is written).
        idea.owning_unit.display_name if idea.owning_unit else None,
        idea.created_at,
        [
            (
                e.kind,
                e.from_status,
                e.to_status,
                e.public_text,
                e.data,
                e.created_at,
                e.municipality.name if e.municipality_id else None,
            )
            for e in public_events
        ],
        regional,
    )


# --- Shared HTML with personal slots ------------------------------------------------------

# Marks a slot in rendered HTML. Derived from the secret key, so nobody can write it into
# a title or a comment (which are escaped anyway), and the same in every process.
_SLOT_MARK = salted_hmac("ideas.fragments.slot", "mark").hexdigest()[:24]
_SLOT = re.compile(rf"<!--{_SLOT_MARK}:([\w-]+)-->(.*?)<!--/{_SLOT_MARK}-->", re.DOTALL)
# Stands for the CSRF token in shared HTML; `SlottedHTML.fill` puts the person's in.
CSRF_PLACEHOLDER = "csrf-" + _SLOT_MARK


def slot_start(name: str) -> str:
    return f"<!--{_SLOT_MARK}:{name}-->"


def slot_end() -> str:
    return f"<!--/{_SLOT_MARK}-->"


@dataclass(frozen=True)
class SlottedHTML:
    """Rendered HTML shared by everyone, with named slots for what is someone's own.

    Templates mark a slot with `{% personal "name" %}default{% endpersonal %}` (ideas_tags)
    when rendered with `personal_slots` set; `parse` takes the marks out. `fill` puts a
    person's own HTML in the slots it names and leaves the rest at their default: what
    "someone logged in" (or nobody, on the list) sees.
    """

    parts: tuple[str, ...]  # shared text, a slot's default, shared text, ..., shared text
    slots: Mapping[str, int]  # a slot's name -> the index of its default in `parts`

    @classmethod
    def parse(cls, html: str) -> SlottedHTML:
        pieces = _SLOT.split(html)  # text, name, default, text, name, default, ..., text
        parts = [pieces[0]]
        slots: dict[str, int] = {}
        for index in range(1, len(pieces), 3):
            name, default, text = pieces[index : index + 3]
            slots[name] = len(parts)
            parts += [default, text]
        return cls(tuple(parts), slots)

    def fill(self, personal: Mapping[str, str], *, csrf_token: str) -> SafeString:
        """The HTML for one person: `personal` maps slot names to their own HTML, and
        `csrf_token` is their token ("" where the HTML has no forms)."""
        parts = list(self.parts)
        for name, html in personal.items():
            index = self.slots.get(name)
            if index is not None:
                parts[index] = html
        # Every part was rendered, and escaped, by our own templates.
        return mark_safe("".join(parts).replace(CSRF_PLACEHOLDER, csrf_token))


class AnyCitizen:
    """ "Someone logged in", for rendering what every citizen sees alike.

    It is nobody: no idea, comment, vote, follow or report is its own (an id no row has),
    it is staff of no unit (see `ideas.permissions.staff_unit_ids`) and admin of nothing.
    """

    pk = id = 0
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    _staff_unit_ids: frozenset[int] = frozenset()
    # ... and works for no municipality (see `portal.roles`).
    _administered_municipality_ids: frozenset[int] = frozenset()
    _staff_municipality_ids: frozenset[int] = frozenset()
