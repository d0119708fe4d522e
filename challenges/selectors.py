"""Reads for challenge pages, shared by the pages, the home page and the feeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page

from challenges.forms import ChallengeFilterForm
from challenges.models import (
    ChallengeIndexPage,
    ChallengePage,
    ChallengePageQuerySet,
    ChallengeStatus,
    attach_idea_counts,
    municipality_home_above,
    partner_challenge_ids,
    status_q,
)
from cms.models import FEATURED_CHALLENGES, HomePage
from cms.regional import is_regional
from cms.routing import content_language, exclude_restricted, restriction_index
from portal import versions
from portal.i18n import Label, in_language
from portal.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

    AnyUser = User | AnonymousUser

CHALLENGES_PER_PAGE = 12
MUNICIPALITY_OPEN_CHALLENGES = 6
JOINT_CHALLENGES = 6
IDEAS_PER_PAGE = 20


@dataclass(frozen=True)
class ChallengeLink:
    title: Label  # in the language of the challenge page (`|lang_attr` marks it)
    url: str


def challenge_links() -> dict[int, ChallengeLink]:
    """Title and URL of every visible challenge, by id: what an idea card links to.

    Cached until pages change, so a list of ideas needs no join with the (wide) page
    tables to show which challenge each idea answers.
    """

    def compute() -> dict[int, ChallengeLink]:
        pages = exclude_restricted(ChallengePage.objects.live().in_default_locale()).order_by(
            "path"
        )
        return {
            page.pk: ChallengeLink(
                in_language(page.title, content_language(page)), page.get_url() or ""
            )
            for page in pages
        }

    # Per language: the URL carries the interface language's prefix.
    return versions.cached(versions.PAGES, f"challenge-links:{get_language()}", compute)


def challenges_visible_to(user: AnyUser) -> ChallengePageQuerySet:
    """The challenges this person may see: published, and not behind a view restriction
    that keeps them out (`cms.routing.RestrictionIndex.hidden_paths`).

    The one rule for every list, choice and e-mail that names challenges for someone:
    the idea list's filter, the submit form (its choices and what it accepts), the idea
    page, *Min side* and the e-mails to a challenge's followers. Costs no query for the
    restrictions (they are cached with the pages), and one for the person's groups
    only when a group restriction exists.
    """
    challenges = ChallengePage.objects.live().in_default_locale()
    for path in restriction_index().hidden_paths(user):
        challenges = challenges.exclude(path__startswith=path)
    return challenges


def can_see_challenge(user: AnyUser, challenge: ChallengePage) -> bool:
    """`challenges_visible_to(user)` for one challenge already read: no query for it."""
    hidden = restriction_index().hidden_paths(user)
    return challenge.live and not any(challenge.path.startswith(path) for path in hidden)


def visible_challenges(*, index: ChallengeIndexPage | None = None) -> ChallengePageQuerySet:
    """Published, public challenges, optionally only those below one index page."""
    challenges = ChallengePage.objects.visible()
    if index is not None:
        challenges = challenges.child_of(index)
    return challenges


def sort_challenges(challenges: ChallengePageQuerySet, sort: str) -> ChallengePageQuerySet:
    """Order challenges; unknown sort keys fall back to closing soonest."""
    if sort == "newest":
        return challenges.order_by("-opens_on", "-first_published_at", "pk")
    if sort == "most_ideas":
        return challenges.with_idea_count().order_by("-idea_count", "closes_on", "pk")
    # Closing soonest: what can still be answered first, then the most recently closed.
    today = timezone.localdate()
    return challenges.annotate(
        has_closed=Case(
            When(closes_on__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        still_open_until=Case(When(closes_on__gte=today, then=F("closes_on")), default=None),
    ).order_by("has_closed", F("still_open_until").asc(nulls_last=True), "-closes_on", "pk")


def filter_challenges(
    challenges: ChallengePageQuerySet, data: dict[str, object]
) -> ChallengePageQuerySet:
    """Apply the cleaned data of a ChallengeFilterForm."""
    if data.get("status"):
        challenges = challenges.with_status(data["status"])
    if data.get("theme"):
        challenges = challenges.filter(theme=data["theme"])
    if data.get("audience"):
        # A challenge for everyone also speaks to citizens and to businesses.
        challenges = challenges.filter(Q(audience=data["audience"]) | Q(audience="both"))
    if data.get("unit"):
        challenges = challenges.filter(owning_unit=data["unit"])
    return challenges


def index_challenges(index: ChallengeIndexPage) -> ChallengePageQuerySet:
    """What a challenge index lists: the challenges below it and, on a municipality's
    index, the joint challenges that municipality is a partner in."""
    home = municipality_home_above(index.path)
    if home is None:
        return visible_challenges(index=index)
    return ChallengePage.objects.visible().filter(
        Q(path__startswith=index.path, depth=index.depth + 1)
        | Q(pk__in=partner_challenge_ids([home.municipality_id], live_only=True))
    )


def challenge_listing(*, index: ChallengeIndexPage, params: QueryDict) -> dict[str, object]:
    """The context of the challenge index: the filter form and one page of results."""
    base = index_challenges(index)
    units = Unit.objects.filter(pk__in=base.values("owning_unit")).order_by("name")
    form = ChallengeFilterForm(params, units=units)
    data = form.applied()
    challenges = sort_challenges(
        filter_challenges(base.for_cards(), data), data.get("sort") or "closing"
    )
    paginator = Paginator(challenges, CHALLENGES_PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    return {
        "filter_form": form,
        "ignored_filters": form.ignored(),
        "is_filtered": any(data.get(key) for key in ("status", "theme", "audience", "unit")),
        "page_obj": page_obj,
        "challenges": attach_idea_counts(page_obj.object_list),
        "result_count": paginator.count,
    }


def open_challenges(*, limit: int | None = None) -> ChallengePageQuerySet:
    """Visible challenges open for ideas today, closing soonest first."""
    challenges = visible_challenges().open_for_ideas().for_cards().order_by("closes_on", "pk")
    return challenges[:limit] if limit else challenges


# --- The home page's challenges (provided to cms.home in ChallengesConfig.ready) --------


def challenge_index_page(root: Page | None = None) -> ChallengeIndexPage | None:
    """The public page listing the challenges directly below a site's root: the home
    page (None: the default site's) or a municipality's home page. Cached until pages
    change.

    On the regional front page there is none: each municipality's challenges are listed
    below its own home page (docs/regional.md).
    """
    root_id = root.pk if root is not None else None

    def compute() -> list[ChallengeIndexPage]:
        # A list, so that "none" is cached too (the regional front page has none).
        parent = root
        if parent is None:
            parent = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        if parent is None:
            return []
        return list(
            exclude_restricted(ChallengeIndexPage.objects.live().child_of(parent))
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("path")[:1]
        )

    found = versions.cached(versions.PAGES, f"challenge-index:{root_id}", compute)
    return found[0] if found else None


def featured_challenges(*, home, limit: int) -> list:
    """The editor's choice among the open challenges, else those closing soonest."""
    chosen = {
        row["challenge_id"]: row["sort_order"]
        for row in home.featured_challenges.values("challenge_id", "sort_order")
    }
    if chosen:
        # Chosen challenges that have closed or been unpublished drop out by themselves.
        picked = sorted(
            open_challenges().filter(pk__in=chosen), key=lambda page: chosen[page.pk] or 0
        )
        if picked:
            return attach_idea_counts(picked[:limit])
    return attach_idea_counts(open_challenges(limit=limit))


def municipality_open_challenges(home) -> dict[str, object]:
    """A municipality's home page: its own open challenges and the joint challenges it
    is a partner in (each marked with its lead), closing soonest first."""
    challenges = (
        visible_challenges()
        .filter(
            Q(path__startswith=home.path)
            | Q(pk__in=partner_challenge_ids([home.municipality_id], live_only=True))
        )
        .open_for_ideas()
        .for_cards()
        .order_by("closes_on", "pk")
    )
    return {"open_challenges": attach_idea_counts(challenges[:MUNICIPALITY_OPEN_CHALLENGES])}


def home_sections(home) -> dict[str, object]:

    return {"featured_challenges": featured_challenges(home=home, limit=FEATURED_CHALLENGES)}


def joint_challenges(*, limit: int | None = None) -> list[ChallengePage]:
    """Visible joint challenges that are not concluded, open ones first (then those
    coming up, then those being evaluated), closing soonest; each with its idea count."""
    today = timezone.localdate()
    challenges = (
        visible_challenges()
        .filter(
            pk__in=ChallengePage.partner_municipalities.through.objects.values("challengepage_id")
        )
        .exclude(status_override=ChallengeStatus.CONCLUDED)
        .for_cards()
        .annotate(
            not_open=Case(
                When(status_q(ChallengeStatus.OPEN, today), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("not_open", "closes_on", "pk")
    )
    return attach_idea_counts(challenges[:limit] if limit else challenges)


def joint_challenge_section(home) -> dict[str, object]:
    """The regional front page's "Joint challenges" (nothing with one municipality)."""
    if not is_regional():
        return {}
    return {"joint_challenges": joint_challenges(limit=JOINT_CHALLENGES)}
