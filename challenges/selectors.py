"""Reads for challenge pages, shared by the pages, the home page and the feeds."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from challenges.forms import ChallengeFilterForm
from challenges.models import ChallengeIndexPage, ChallengePage, ChallengePageQuerySet
from ideas.models import Idea, IdeaStatus
from portal.models import Unit

CHALLENGES_PER_PAGE = 12
IDEAS_PER_PAGE = 20


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
        return challenges.order_by("-idea_count", "closes_on", "pk")
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
    data = form.cleaned_data if form.is_valid() else {}
    challenges = sort_challenges(
        filter_challenges(base.for_cards(), data), data.get("sort") or "closing"
    )
    paginator = Paginator(challenges, CHALLENGES_PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    return {
        "filter_form": form,
        "is_filtered": any(data.get(key) for key in ("status", "theme", "audience", "unit")),
        "page_obj": page_obj,
        "challenges": page_obj.object_list,
        "result_count": paginator.count,
    }


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
    """How many public ideas answer a challenge, and how far they have come, in one query."""

    return (
        Idea.objects.public()
        .filter(challenge=challenge)
        .aggregate(
            total=Count("pk"),
            in_progress=Count(
                "pk", filter=Q(status__in=[IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED])
            ),
            implemented=Count("pk", filter=Q(status=IdeaStatus.IMPLEMENTED)),
        )
    )


def challenge_detail(*, challenge: ChallengePage, request: HttpRequest) -> dict[str, object]:
    """The context of a challenge page; its query count does not depend on the ideas."""
    from ideas.models import Follow

    ideas = challenge_ideas(challenge=challenge)
    paginator = Paginator(ideas, IDEAS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    user = getattr(request, "user", None)
    # Only live, unrestricted challenges can be followed (see ideas.views.follow_challenge).
    can_follow = bool(
        user
        and user.is_authenticated
        and challenge.live
        and not challenge.get_view_restrictions().exists()
    )
    is_following = can_follow and Follow.objects.filter(user=user, challenge=challenge).exists()
    context: dict[str, object] = {
        "ideas_page": page_obj,
        "ideas": page_obj.object_list,
        "idea_counts": challenge_idea_counts(challenge=challenge),
        "can_follow": can_follow,
        "is_following": is_following,
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
    return context
