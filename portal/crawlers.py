"""What the portal answers browsers and crawlers at the well-known addresses:
/robots.txt and /favicon.ico (the sitemap is `portal.sitemaps`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal.absolute_urls import absolute_url, path_in_language

FAVICON = Path(__file__).resolve().parent / "static" / "portal" / "favicon.ico"


def _neutral(url_name: str) -> str:
    """A named URL's address in the default language (no language prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(url_name)


def _first_segment(path: str) -> str:
    return "/" + path.strip("/").split("/")[0] + "/"


def robots_lines() -> list[str]:
    """Everything public may be crawled; what is personal, for staff or endless is not.

    Personal: the accounts (log-in, sign-up, profile) and *Min side*; for staff: the
    Wagtail admin (the triage workspace is in it) and the Django admin; endless: every
    search with a query, and the language switch. The language-prefixed addresses are
    listed too, for every language but the default.
    """
    localised = [
        _first_segment(_neutral("accounts:login")),
        _neutral("ideas:mine"),
        _neutral("ideas:submit"),
        _neutral("search:search") + "?",
        _neutral("search:suggest"),
    ]
    disallowed = [
        reverse("wagtailadmin_home"),
        reverse("admin:index"),
        _first_segment(reverse("set_language")),
    ]
    for code, _name in settings.LANGUAGES:
        disallowed += [path_in_language(path, code) for path in localised]
    return [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed),
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap_index'))}",
    ]


@require_safe
@cache_control(public=True, max_age=60 * 60)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("\n".join(robots_lines()) + "\n", content_type="text/plain; charset=utf-8")


@cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon browsers and crawlers ask for at /favicon.ico, whatever the page links.

    Pages link the SVG (base.html); this is the same design as a classic icon file.
    """
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
