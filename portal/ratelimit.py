"""A small rate limiter on Django's cache: per user and per IP address, fixed windows.

Limits live in `settings.PORTAL_RATE_LIMITS`, one entry per scope::

    PORTAL_RATE_LIMITS = {
        "comment": {"user": (10, 600), "ip": (30, 600)},  # (requests, window in seconds)
    }

Every attempt counts, successful or not, so a robot cannot probe forever with invalid
forms. The counters live in the default cache: in production that cache must be shared
by every process (database or Redis cache), else each process counts on its own.

Use the decorator on a view::

    @rate_limit("idea_submit")
    def idea_submit_view(request): ...

or call `check_rate_limit(request, "vote")` inside a view and turn `RateLimited` into
`rate_limited_response(request, error)`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import ngettext

# Scopes the portal uses, with defaults that a busy but honest person never reaches.
DEFAULT_RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "comment": {"user": (10, 10 * 60), "ip": (30, 10 * 60)},
    "comment_flag": {"user": (30, 60 * 60), "ip": (100, 60 * 60)},
    "idea_submit": {"user": (5, 60 * 60), "ip": (20, 60 * 60)},
    "vote": {"user": (60, 60), "ip": (200, 60)},
}


class RateLimited(Exception):
    def __init__(self, *, scope: str, retry_after: int) -> None:
        super().__init__(scope, retry_after)
        self.scope = scope
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        minutes = max(1, -(-self.retry_after // 60))
        return ngettext(
            "You have done this many times in a short while. Please wait %(minutes)d "
            "minute and try again.",
            "You have done this many times in a short while. Please wait %(minutes)d "
            "minutes and try again.",
            minutes,
        ) % {"minutes": minutes}

    def __str__(self) -> str:
        return f"rate limit for {self.scope!r}, retry after {self.retry_after}s"


def limits_for(scope: str) -> dict[str, tuple[int, int]]:
    configured = getattr(settings, "PORTAL_RATE_LIMITS", {})
    if scope in configured:
        return configured[scope]
    if scope in DEFAULT_RATE_LIMITS:
        return DEFAULT_RATE_LIMITS[scope]
    raise KeyError(f"No rate limit is configured for the scope {scope!r}.")


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    Behind a reverse proxy REMOTE_ADDR is the proxy's address; the proxy must then set
    it from X-Forwarded-For (e.g. gunicorn's --forwarded-allow-ips), never this code,
    because the header is trivially forged by clients.
    """
    return request.META.get("REMOTE_ADDR") or "unknown"


def _identities(request: HttpRequest) -> Iterable[tuple[str, str]]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        yield "user", str(user.pk)
    yield "ip", client_ip(request)


def check_rate_limit(request: HttpRequest, scope: str) -> None:
    """Count one attempt in `scope`; raise `RateLimited` if a limit is now exceeded.

    Each identity (the user, if logged in, and the IP address) has its own counter in a
    fixed window of the configured length.
    """
    limits = limits_for(scope)
    now = int(time.time())
    exceeded: list[int] = []
    for kind, ident in _identities(request):
        if kind not in limits:
            continue
        allowed, window = limits[kind]
        window_start = now - now % window
        key = f"ratelimit:{scope}:{kind}:{ident}:{window_start}"
        # add() is a no-op when the key exists, so concurrent first hits do not reset it.
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window + 1)
            count = 1
        if count > allowed:
            exceeded.append(window_start + window - now)
    if exceeded:
        raise RateLimited(scope=scope, retry_after=max(1, max(exceeded)))


def rate_limited_response(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """429 with the message: a small fragment for htmx, else a page in the site layout."""
    context = {"message": error.message, "retry_after": error.retry_after}
    if getattr(request, "htmx", False):
        template = "portal/includes/rate_limited.html"
    else:
        template = "portal/rate_limited.html"
    response = HttpResponse(render_to_string(template, context, request=request), status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def rate_limit(scope: str, *, methods: Iterable[str] = ("POST",)) -> Callable:
    """Decorate a view so that requests with the given methods count against `scope`."""
    limited_methods = {method.upper() for method in methods}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in limited_methods:
                try:
                    check_rate_limit(request, scope)
                except RateLimited as error:
                    return rate_limited_response(request, error)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
