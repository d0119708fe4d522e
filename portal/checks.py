"""System checks of the portal's own settings, run by `manage.py check`.

Deployment checks (`deploy=True`) run only with `manage.py check --deploy`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_public_base_url(app_configs=None, **kwargs) -> list[Error]:
    """Links in e-mails and feeds are built from PORTAL_BASE_URL (portal.absolute_urls):
    without it they point nowhere, and over plain http they would leak tokens (password
    reset, e-mail confirmation) and bypass HSTS."""
    value = getattr(settings, "PORTAL_BASE_URL", "")
    if not value:
        return [
            Error(
                "PORTAL_BASE_URL is not set.",
                hint="Set it to the portal's public address, e.g. https://ideer.kommune.no; "
                "links in e-mails and feeds are built from it.",
                id="portal.E001",
            )
        ]
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        return [
            Error(
                f"PORTAL_BASE_URL must be an https:// address, not {value!r}.",
                hint="Links in e-mails carry password-reset and confirmation tokens.",
                id="portal.E002",
            )
        ]
    return []
