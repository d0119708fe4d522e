"""Absolute links for readers outside the site: e-mails, feeds.

One setting, `PORTAL_BASE_URL`, says where the portal is (scheme, host and any path
prefix, e.g. `https://ideer.kommune.no`). E-mails are rendered in tasks that have no
request, and a request's Host header names whichever host the visitor (or a proxy)
used, so neither the request nor the `django.contrib.sites` record nor a Wagtail Site
decides where links point. `WAGTAILADMIN_BASE_URL` is derived from the same setting.
"""

from __future__ import annotations

from django.conf import settings


def base_url() -> str:
    """The portal's public address, without a trailing slash."""
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (a site-relative URL such as `/ideas/2026-00042/`) on the public address.

    A URL that is already absolute (a page on another Wagtail Site) is returned as is.
    """
    if path.startswith(("https://", "http://")):
        return path
    return f"{base_url()}/{path.lstrip('/')}"
