"""Log-in lockout through django-axes, with two limits instead of axes' one.

Axes compares the failures of every lockout parameter set with one number. One person
mistyping a password and one office behind a shared IP address deserve different ones:
AXES_FAILURE_LIMIT (5) for one e-mail address from one IP address, and
PORTAL_LOGIN_FAILURES_PER_IP (30) for all addresses tried from one IP address. The
failures from one IP address are scaled onto AXES_FAILURE_LIMIT, so axes' own
comparison (failures >= limit) locks out at either limit.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail address tried, as log-in compares it: case-insensitively.

    Without this, "Kari@…" and "kari@…" would each get their own five attempts.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return username.strip().lower() if username else username


class PortalAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        ip_address = request.axes_ip_address  # type: ignore[attr-defined]
        recent = AccessAttempt.objects.filter(
            ip_address=ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        totals = recent.aggregate(
            by_ip=Sum("failures_since_start"),
            by_username=Sum("failures_since_start", filter=Q(username=username)),
        )
        limit = get_failure_limit(request, credentials)
        # floor(n * limit / per_ip) >= limit exactly when n >= per_ip.
        by_ip_scaled = (totals["by_ip"] or 0) * limit // settings.PORTAL_LOGIN_FAILURES_PER_IP
        return max(totals["by_username"] or 0, by_ip_scaled)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful log-in, forget only that person's failures from there.

        Axes would delete every failure from the IP address, so someone with an account
        could clear the way for more guesses at other people's passwords by logging in
        to their own account now and then.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return count


def login_lockout_clear(*, email: str) -> None:
    """Forget the failed log-ins for `email`, e.g. after its owner set a new password."""
    AccessAttempt.objects.filter(username=email.strip().lower()).delete()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page shown instead of the log-in form while log-in is refused (429).

    It speaks of attempts from where the person is, never of the account, so it reads
    the same whether or not the address has one.
    """
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    response = render(request, "portal/accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
