"""What the ideas views share: telling htmx requests apart, finding the idea, safe redirects."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from ideas import selectors
from ideas.models import Idea


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request wanting a fragment (history restores need the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def viewable_idea(request: HttpRequest, reference: str) -> Idea:
    idea = selectors.idea_for_viewer(reference, request.user)
    if idea is None:
        raise Http404
    return idea


def public_idea_or_404(reference: str) -> Idea:
    return get_object_or_404(Idea.objects.public(), reference=reference)


def wants_follow(request: HttpRequest, *, following: bool) -> bool:
    """An explicit action=follow/unfollow wins (no-JS forms); otherwise the POST toggles."""
    action = request.POST.get("action", "")
    return action == "follow" if action in {"follow", "unfollow"} else not following


def safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
