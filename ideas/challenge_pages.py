"""The ideas' side of challenge pages: the ideas answering a challenge, their figures,
and the parts of the page that list them (`challenges.answers` is the protocol).

Challenges sit below ideas and cannot read them; this module is installed as their
provider in `IdeasConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.template.loader import render_to_string

from challenges.models import ChallengePage
from ideas import counts, fragments
from ideas.counts import KnownCountPaginator
from ideas.models import Follow, Idea, IdeaStatus
from portal import versions

IDEAS_PER_PAGE = 20


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


def follows_challenge(user, challenge_id: int) -> bool:
    """Whether `user` follows the challenge: cached per process and person until their
    follows change (each bumps their version, see `ideas.apps`), so a citizen reading
    challenge pages costs the database nothing."""
    return versions.cached(
        versions.person(user.pk),
        f"follows-challenge:{user.pk}:{challenge_id}",
        lambda: Follow.objects.filter(user=user, challenge_id=challenge_id).exists(),
        cache_alias=versions.PERSONAL_CACHE,
    )


def challenge_detail(
    *, challenge: ChallengePage, request: HttpRequest, page: ChallengePage | None = None
) -> dict[str, object]:
    """The context of a challenge page; its query count does not depend on the ideas.

    `page` is the page shown, when it is a translation of `challenge` (an English
    version): its text is shown, the ideas are those answering `challenge`.

    Everything but the follow button is the same for everyone, so it is rendered once
    per page number, language and day (the status follows the dates) and cached until
    ideas, pages or names change.
    """
    user = getattr(request, "user", None)
    # Only live, unrestricted challenges can be followed
    # (see ideas.views.participation.follow_challenge).
    can_follow = bool(
        user
        and user.is_authenticated
        and challenge.live
        and not challenge.get_view_restrictions().exists()
    )
    is_following = can_follow and follows_challenge(user, challenge.pk)

    def render() -> tuple[str, str]:
        context: dict[str, object] = {
            "page": page or challenge,
            "challenge": challenge,
            "idea_counts": challenge_idea_counts(challenge=challenge),
            "tags": list(challenge.tags.all()),
            "ranked_ideas": fragments.RANKED_IDEAS,
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

    def render_ideas() -> str:
        ideas = challenge_ideas(challenge=challenge)
        total = challenge_idea_counts(challenge=challenge)["total"]
        page_obj = KnownCountPaginator(ideas, IDEAS_PER_PAGE, count=total).get_page(
            request.GET.get("page")
        )
        context = {"ideas_page": page_obj, "ideas": page_obj.object_list}
        return render_to_string("challenges/includes/challenge_ideas.html", context, request)

    main, facts = fragments.challenge_page_parts(
        challenge_pk=challenge.pk,
        page_pk=page.pk if page else None,
        request=request,
        render=render,
        render_ideas=render_ideas,
    )
    return {
        "can_follow": can_follow,
        "is_following": is_following,
        "challenge_main": main,
        "challenge_facts": facts,
    }


class IdeasOnChallengePages:
    """`challenges.answers.Answers`, from the ideas app."""

    def counts_per_challenge(self) -> dict[int, int]:
        return counts.per_challenge()

    def page_context(
        self, *, challenge: ChallengePage, request: HttpRequest, page: ChallengePage | None = None
    ) -> dict:
        return challenge_detail(challenge=challenge, request=request, page=page)

    def newest(self, *, challenge: ChallengePage, limit: int) -> Sequence[Idea]:
        return challenge_ideas(challenge=challenge).order_by("-created_at", "-pk")[:limit]
