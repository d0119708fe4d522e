"""Supporting and following ideas and challenges.

Every action is a plain form POST that redirects; htmx requests get the button back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.models import ChallengePage
from ideas import selectors, services
from ideas.views.common import is_htmx, public_idea_or_404, safe_next, wants_follow
from portal.ratelimit import rate_limit


@require_POST
@login_required
@rate_limit("vote")
def idea_vote(request: HttpRequest, reference: str) -> HttpResponse:
    """Toggle support. `action` may say "support" or "withdraw" explicitly, so a form sent
    twice (a double click, the back button) does not undo itself."""
    idea = public_idea_or_404(reference)
    action = request.POST.get("action", "")
    supported = bool(selectors.supported_ids(request.user, [idea.pk]))
    want_support = (action == "support") if action in {"support", "withdraw"} else not supported
    error = ""
    try:
        if want_support:
            services.vote_cast(idea=idea, voter=request.user)
        else:
            services.vote_withdraw(idea=idea, voter=request.user)
        supported = want_support
    except services.VotingClosed as closed:
        error = closed.message
    # Both services set idea.support_count to the count they wrote under the row lock.
    if is_htmx(request):
        return render(
            request,
            "ideas/includes/vote_response.html",
            {"idea": idea, "has_supported": supported, "vote_error": error, "announce": True},
        )
    if error:
        messages.error(request, error)
    elif supported:
        messages.success(request, _("Thank you for your support."))
    else:
        messages.success(request, _("Your support is withdrawn."))
    return redirect(safe_next(request, idea.get_absolute_url()))


@require_POST
@login_required
def idea_follow(request: HttpRequest, reference: str) -> HttpResponse:
    idea = public_idea_or_404(reference)
    return _follow_toggle(
        request,
        following=bool(selectors.followed_ids(request.user, [idea.pk])),
        follow=lambda: services.follow_idea(user=request.user, idea=idea),
        unfollow=lambda: services.unfollow_idea(user=request.user, idea=idea),
        fragment=("ideas/includes/follow_response.html", {"idea": idea}),
        followed=_("You follow this idea and will get e-mail when it changes."),
        unfollowed=_("You no longer follow this idea."),
        back=idea.get_absolute_url(),
    )


@require_POST
@login_required
def follow_challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    # Private challenges cannot be followed: their followers would be e-mailed about
    # ideas they may not see.
    challenge = get_object_or_404(ChallengePage.objects.live().public(), pk=challenge_id)
    return _follow_toggle(
        request,
        following=selectors.follows_challenge(request.user, challenge),
        follow=lambda: services.follow_challenge(user=request.user, challenge=challenge),
        unfollow=lambda: services.unfollow_challenge(user=request.user, challenge=challenge),
        fragment=("ideas/includes/follow_challenge_response.html", {"challenge": challenge}),
        followed=_("You follow this challenge and will get e-mail about new ideas."),
        unfollowed=_("You no longer follow this challenge."),
        back=challenge.url or reverse("ideas:list"),
    )


def _follow_toggle(
    request: HttpRequest,
    *,
    following: bool,
    follow: Callable[[], object],
    unfollow: Callable[[], object],
    fragment: tuple[str, dict[str, Any]],
    followed: str,
    unfollowed: str,
    back: str,
) -> HttpResponse:
    """Follow or unfollow as the form asks; the new button (htmx) or a message and back."""
    want_follow = wants_follow(request, following=following)
    (follow if want_follow else unfollow)()
    if is_htmx(request):
        template, context = fragment
        return render(request, template, {**context, "is_following": want_follow, "announce": True})
    messages.success(request, followed if want_follow else unfollowed)
    return redirect(safe_next(request, back))
