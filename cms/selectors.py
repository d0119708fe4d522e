"""Reads for the home page: featured challenges, ideas and the live figures."""

from __future__ import annotations

from django.db.models import Count, Q

from ideas.models import Idea, IdeaStatus


def portal_figures() -> dict[str, int]:
    """Public ideas submitted, in progress and put into use, in one query.

    "Submitted" counts every public idea, whatever its status; "in progress" those in
    review or accepted; "put into use" the implemented ones.
    """
    return Idea.objects.public().aggregate(
        submitted=Count("pk"),
        in_progress=Count("pk", filter=Q(status__in=[IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED])),
        implemented=Count("pk", filter=Q(status=IdeaStatus.IMPLEMENTED)),
    )


def featured_challenges(*, home, limit: int) -> list:
    """The editor's choice among the open challenges, else those closing soonest."""
    from challenges.selectors import open_challenges

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
            return picked[:limit]
    return list(open_challenges(limit=limit))


def home_page_context(*, home) -> dict[str, object]:
    from challenges.models import ChallengeIndexPage
    from cms.models import FEATURED_CHALLENGES, IDEAS_ON_HOME_PAGE

    public_ideas = Idea.objects.public()
    return {
        "challenge_index": ChallengeIndexPage.objects.live().public().order_by("path").first(),
        "featured_challenges": featured_challenges(home=home, limit=FEATURED_CHALLENGES),
        "newest_ideas": list(public_ideas.order_by("-created_at", "-pk")[:IDEAS_ON_HOME_PAGE]),
        "popular_ideas": list(
            public_ideas.filter(support_count__gt=0).order_by(
                "-support_count", "-created_at", "-pk"
            )[:IDEAS_ON_HOME_PAGE]
        ),
        "figures": portal_figures(),
    }
