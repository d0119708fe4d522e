"""Reads for the home page: featured challenges, ideas and the live figures."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from ideas import counts
from ideas.models import Idea
from portal import versions


def portal_figures() -> dict[str, int]:
    """Public ideas submitted, in progress and put into use (cached until ideas change).

    "Submitted" counts every public idea, whatever its status; "in progress" those in
    review or accepted; "put into use" the implemented ones.
    """
    figures = counts.progress(Idea.objects.public())
    return {
        "submitted": figures["total"],
        "in_progress": figures["in_progress"],
        "implemented": figures["implemented"],
    }


def featured_challenges(*, home, limit: int) -> list:
    """The editor's choice among the open challenges, else those closing soonest."""
    from challenges.models import attach_idea_counts
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
            return attach_idea_counts(picked[:limit])
    return attach_idea_counts(open_challenges(limit=limit))


def home_page_context(*, home, request) -> dict[str, object]:
    """The home page: the parts below the hero are the same for everyone, so they are
    rendered once and cached until ideas, pages or names change (or the day does:
    challenges open and close by date)."""
    from challenges.models import ChallengeIndexPage
    from cms.models import FEATURED_CHALLENGES, IDEAS_ON_HOME_PAGE
    from cms.routing import exclude_restricted

    challenge_index = versions.cached(
        versions.PAGES,
        "challenge-index",
        lambda: exclude_restricted(ChallengeIndexPage.objects.live()).order_by("path").first(),
    )

    def render() -> str:
        public_ideas = Idea.objects.public()
        context = {
            "challenge_index": challenge_index,
            "featured_challenges": featured_challenges(home=home, limit=FEATURED_CHALLENGES),
            "newest_ideas": list(public_ideas.order_by("-created_at", "-pk")[:IDEAS_ON_HOME_PAGE]),
            "popular_ideas": list(
                public_ideas.filter(support_count__gt=0).order_by(
                    "-support_count", "-created_at", "-pk"
                )[:IDEAS_ON_HOME_PAGE]
            ),
            "figures": portal_figures(),
        }
        return render_to_string("cms/includes/home_sections.html", context, request)

    key = versions.fingerprint("home", home.pk, get_language(), timezone.localdate())
    return {
        "challenge_index": challenge_index,
        "home_sections": versions.cached_html(HOME_VERSIONS, key, render),
    }


# What the home page's sections show: ideas (lists, figures), challenges, theme names.
HOME_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES, versions.LABELS)
