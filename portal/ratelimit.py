"""Rate limits per user, per IP address and per e-mail address, counted in the database.

Limits live in `settings.PORTAL_RATE_LIMITS`, one entry per scope::

    PORTAL_RATE_LIMITS = {
        "comment": {"user": (10, 600), "ip": (30, 600)},  # (requests, window in seconds)
    }

A window starts with an identity's first hit and lasts the configured number of
seconds; the next hit after it starts a new window.

The counters are rows of `portal.models.RateLimitCounter`, each increment one
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement. That is atomic on SQLite and
PostgreSQL, so N concurrent hits count exactly N on every deployment. Django's
file-based cache (production's default cache) and its database cache increment with a
read followed by a write, which lets concurrent hits through; that is also why this is
not django-ratelimit, which relies on the cache's incr.

Use the decorator on a view that counts every attempt::

    @rate_limit("vote")
    def idea_vote(request, reference): ...

or call `check_rate_limit(request, "vote")` inside a view and turn `RateLimited` into
`rate_limited_response(request, error)`. To count only what was accepted, wrap the
write in `counted_if_accepted(request, scope)`. Log-in attempts are limited by
django-axes (settings: AXES_*), not here.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from portal.models import RateLimitCounter

# Scopes the portal uses, with defaults that a busy but honest person never reaches.
# Settings may override any of them (PORTAL_RATE_LIMITS).
DEFAULT_RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "comment": {"user": (10, 10 * 60), "ip": (30, 10 * 60)},
    "comment_flag": {"user": (30, 60 * 60), "ip": (100, 60 * 60)},
    # Ideas accepted, and (generously) attempts to send the form, valid or not.
    "idea_submit": {"user": (5, 60 * 60), "ip": (20, 60 * 60)},
    "idea_submit_attempt": {"user": (30, 60 * 60), "ip": (100, 60 * 60)},
    "vote": {"user": (60, 60), "ip": (200, 60)},
    # Forms that send e-mail to an address typed in by anyone.
    "signup": {"ip": (20, 60 * 60)},
    "password_reset": {"ip": (20, 60 * 60)},
    "resend_confirmation": {"ip": (20, 60 * 60)},
    # E-mails about an account (confirmation, password reset, "already registered") to
    # one address, whoever asks for them.
    "account_email": {"address": (3, 60 * 60)},
    # Co-creation: registering for a meeting, and inputs through a meeting's short link
    # (a pop-up stand's shared tablet sends many from one address).
    "meeting_registration": {"user": (20, 60 * 60), "ip": (60, 60 * 60)},
    "cocreation_input": {"user": (30, 60 * 60), "ip": (300, 60 * 60)},
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


def request_identities(request: HttpRequest) -> dict[str, str]:
    """The logged-in user, if any, and the IP address."""
    identities = {"ip": client_ip(request)}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        identities["user"] = str(user.pk)
    return identities


def _identity_key(kind: str, value: str) -> str:
    return salted_hmac("portal.ratelimit", f"{kind}:{value}", algorithm="sha256").hexdigest()


def hit(scope: str, identities: dict[str, str]) -> None:
    """Count one hit in `scope` for each identity the scope limits; raise `RateLimited`
    if any of them is now over its limit.

    `identities` maps a kind ("user", "ip", "address") to a value; kinds the scope has
    no limit for are not counted. All counters move in one statement: the upsert
    increments an existing row under its row lock (PostgreSQL) or the database's write
    lock (SQLite), and reads the new value back with RETURNING, so no hit is lost or
    counted twice however many processes count at once. Inside a transaction the hits
    are undone if it rolls back (see `counted_if_accepted`).
    """
    hit_scopes([scope], identities)


def hit_scopes(scopes: Iterable[str], identities: dict[str, str]) -> None:
    """`hit` in each of `scopes` at once, in the same one statement."""
    now = time.time()
    # (scope, identity key) -> (limit, window)
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    for scope in scopes:
        limits = limits_for(scope)
        for kind, value in identities.items():
            if kind in limits:
                counted[(scope, _identity_key(kind, value))] = limits[kind]
    if not counted:
        return
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    rows = ", ".join(["(%s, %s, 1, %s)"] * len(counted))
    params: list = []
    for (scope, key), (_limit, window) in counted.items():
        params += [scope, key, now + window]
    # In DO UPDATE, the table's columns hold the row's values before this statement
    # and `excluded` the row that was to be inserted: a window that has ended starts
    # again at 1.
    sql = (
        f"INSERT INTO {table} (scope, identity, hits, expires_at) VALUES {rows} "
        f"ON CONFLICT (scope, identity) DO UPDATE SET "
        f"hits = CASE WHEN {table}.expires_at > %s THEN {table}.hits + 1 ELSE 1 END, "
        f"expires_at = CASE WHEN {table}.expires_at > %s "
        f"THEN {table}.expires_at ELSE excluded.expires_at END "
        f"RETURNING scope, identity, hits, expires_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, now, now])
        results = cursor.fetchall()
    exceeded = [
        (expires_at - now, scope)
        for scope, key, hits, expires_at in results
        if hits > counted[(scope, key)][0]
    ]
    if exceeded:
        wait, scope = max(exceeded)
        raise RateLimited(scope=scope, retry_after=max(1, round(wait)))


def check_rate_limit(request: HttpRequest, scope: str) -> None:
    """Count one attempt in `scope` for the request's user and IP address; raise
    `RateLimited` if a limit is now exceeded."""
    hit(scope, request_identities(request))


@contextmanager
def counted_if_accepted(
    request: HttpRequest, scope: str, *, attempt_scope: str = ""
) -> Iterator[None]:
    """Count one hit in `scope` only if the block completes.

    Raises `RateLimited` before the block runs when the limit is reached. The hit and
    the block share one transaction, so a block that raises (a rejected submission)
    leaves the counters as they were, and concurrent requests of one person wait for
    each other's outcome instead of all passing a limit that only one of them fits.

    With `attempt_scope`, one attempt is also counted there, whatever the outcome: in
    the same statement as the hit when the block completes (one statement fewer for
    every accepted request), and on its own, after the rollback, when the block or
    the hit raises (so a refused attempt still counts; over that limit too, its
    `RateLimited` is what propagates).
    """
    try:
        with transaction.atomic():
            hit_scopes(
                [scope, attempt_scope] if attempt_scope else [scope], request_identities(request)
            )
            yield
    except BaseException:
        if attempt_scope:
            check_rate_limit(request, attempt_scope)
        raise


def account_email_allowed(address: str) -> bool:
    """Count one account e-mail to `address`; False once the hourly cap is reached.

    Callers then send nothing and show the same neutral message as always, so neither
    a flood of requests nor the answer tells anyone whether the address has an account.
    """
    try:
        hit("account_email", {"address": address.strip().lower()})
    except RateLimited:
        return False
    return True


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


class RateLimitedFormMixin:
    """For a FormView: every POST counts against `rate_limit_scope`; over the limit, the
    form comes back with status 429, everything typed kept and the message above it."""

    rate_limit_scope: str

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            check_rate_limit(request, self.rate_limit_scope)
        except RateLimited as error:
            form = self.get_form()  # type: ignore[attr-defined]
            context = self.get_context_data(form=form, rate_limit_message=error.message)  # type: ignore[attr-defined]
            response = self.render_to_response(context, status=429)  # type: ignore[attr-defined]
            response["Retry-After"] = str(error.retry_after)
            return response
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


def clear_expired_counters() -> int:
    """Delete the counters whose window has ended; returns how many.

    A counter row is reused window after window, but one for an IP address that never
    comes back would stay for ever: `manage.py clear_rate_limits` runs this from cron,
    as `clearsessions` does for sessions.
    """
    deleted, _ = RateLimitCounter.objects.filter(expires_at__lte=time.time()).delete()
    return deleted
