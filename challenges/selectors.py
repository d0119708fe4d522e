"""Reads for challenge pages, shared by the pages, the home page and the feeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from challenges.forms import ChallengeFilterForm
from challenges.models import (
    ChallengeIndexPage,
    ChallengePage,
    ChallengePageQuerySet,
    attach_idea_counts,
)
from ideas import counts
from ideas.counts import KnownCountPaginator
from ideas.models import Idea, IdeaStatus
from portal import versions
from portal.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

    AnyUser = User | AnonymousUser

CHALLENGES_PER_PAGE = 12
IDEAS_PER_PAGE = 20


@dataclass(frozen=True)
class ChallengeLink:
    title: str
    url: str


def challenge_links() -> dict[int, ChallengeLink]:
    """Title and URL of every visible challenge, by id: what an idea card links to.

    Cached until pages change, so a list of ideas needs no join with the (wide) page
    tables to show which challenge each idea answers.
    """
    from cms.routing import exclude_restricted

    def compute() -> dict[int, ChallengeLink]:
        pages = exclude_restricted(ChallengePage.objects.live()).order_by("path")
        return {page.pk: ChallengeLink(page.title, page.get_url() or "") for page in pages}

    return versions.cached(versions.PAGES, "challenge-links", compute)


def challenges_visible_to(user: AnyUser) -> ChallengePageQuerySet:
    """The challenges this person may see: published, and not behind a view restriction
    that keeps them out (`cms.routing.RestrictionIndex.hidden_paths`).

    The one rule for every list, choice and e-mail that names challenges for someone:
    the idea list's filter, the submit form (its choices and what it accepts), the idea
    page, *Min side* and the e-mails to a challenge's followers. Costs no query for the
    restrictions (they are cached with the pages), and one for the person's groups
    only when a group restriction exists.
    """
    from cms.routing import restriction_index

    challenges = ChallengePage.objects.live()
    for path in restriction_index().hidden_paths(user):
        challenges = challenges.exclude(path__startswith=path)
    return challenges


def can_see_challenge(user: AnyUser, challenge: ChallengePage) -> bool:
    """`challenges_visible_to(user)` for one challenge already read: no query for it."""
    from cms.routing import restriction_index

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


def challenge_listing(*, index: ChallengeIndexPage, params: QueryDict) -> dict[str, object]:
    """The context of the challenge index: the filter form and one page of results."""
    base = visible_challenges(index=index)
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


# What the challenge index shows: the challenges, their idea counts, theme/unit names.
INDEX_VERSIONS = (versions.PAGES, versions.PUBLIC_IDEAS, versions.LABELS)


def index_content(*, index: ChallengeIndexPage, request: HttpRequest) -> SafeString:
    """The challenge index below the menus, the same for everyone who asks for the same
    filters: rendered once per query, language and day (statuses follow the dates) and
    cached until challenges, idea counts or names change."""

    def render() -> str:
        context = {"page": index, **challenge_listing(index=index, params=request.GET)}
        return render_to_string(
            "challenges/includes/challenge_index_content.html", context, request
        )

    key = versions.fingerprint(
        "challenge-index",
        index.pk,
        get_language(),
        timezone.localdate(),
        sorted(request.GET.lists()),
    )
    return versions.cached_html(INDEX_VERSIONS, key, render)


def open_challenges(*, limit: int | None = None) -> ChallengePageQuerySet:
    """Visible challenges open for ideas today, closing soonest first."""
    challenges = visible_challenges().open_for_ideas().for_cards().order_by("closes_on", "pk")
    return challenges[:limit] if limit else challenges


def challenge_ideas(*, challenge: ChallengePage):
    """The public ideas answering a challenge, with what their cards need."""
    return (
        Idea.objects.public()
        .filter(challenge=challenge)
        .select_related("author", "organisation")
        .prefetch_related("tags")
        .order_by("-support_count", "-created_at", "-pk")
    )


def challenge_idea_counts(*, challenge: ChallengePage) -> dict[str, int]:
    """How many public ideas answer a challenge, and how far they have come (cached)."""
    return counts.progress(Idea.objects.public().filter(challenge=challenge))


# What a challenge page's shared parts show: its ideas (with support and authors'
# names), their counts, the page itself and its theme/unit.
DETAIL_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES, versions.LABELS)


def challenge_detail(*, challenge: ChallengePage, request: HttpRequest) -> dict[str, object]:
    """The context of a challenge page; its query count does not depend on the ideas.

    Everything but the follow button is the same for everyone, so it is rendered once
    per page number, language and day (the status follows the dates) and cached until
    ideas, pages or names change.
    """
    from ideas.models import Follow

    user = getattr(request, "user", None)
    # Only live, unrestricted challenges can be followed (see ideas.views.follow_challenge).
    can_follow = bool(
        user
        and user.is_authenticated
        and challenge.live
        and not challenge.get_view_restrictions().exists()
    )
    is_following = can_follow and Follow.objects.filter(user=user, challenge=challenge).exists()

    def render() -> tuple[str, str]:
        ideas = challenge_ideas(challenge=challenge)
        idea_counts = challenge_idea_counts(challenge=challenge)
        paginator = KnownCountPaginator(ideas, IDEAS_PER_PAGE, count=idea_counts["total"])
        page_obj = paginator.get_page(request.GET.get("page"))
        context: dict[str, object] = {
            "page": challenge,
            "ideas_page": page_obj,
            "ideas": page_obj.object_list,
            "idea_counts": idea_counts,
            "tags": list(challenge.tags.all()),
        }
        if challenge.is_concluded:
            # Honest and simple: what was put into use is what the ideas' own status says,
            # so the list can never contradict the ideas it links to.
            context["implemented_ideas"] = list(
                Idea.objects.public()
                .filter(challenge=challenge, status=IdeaStatus.IMPLEMENTED)
                .order_by("-status_changed_at", "-pk")
            )
        return (
            render_to_string("challenges/includes/challenge_main.html", context, request),
            render_to_string("challenges/includes/challenge_facts.html", context, request),
        )

    key = versions.fingerprint(
        "challenge",
        challenge.pk,
        get_language(),
        timezone.localdate(),
        sorted(request.GET.lists()),  # the pagination links carry the query along
    )
    main, facts = versions.cached(DETAIL_VERSIONS, key, render)
    return {
        "can_follow": can_follow,
        "is_following": is_following,
        "challenge_main": mark_safe(main),
        "challenge_facts": mark_safe(facts),
    }
