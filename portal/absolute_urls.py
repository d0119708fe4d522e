"""Absolute links for readers outside the site: e-mails, feeds, sitemaps, link previews.

One setting, `PORTAL_BASE_URL`, says where the portal is (scheme, host and any path
prefix, e.g. `https://ideer.kommune.no`). E-mails are rendered in tasks that have no
request, and a request's Host header names whichever host the visitor (or a proxy)
used, so neither the request nor the `django.contrib.sites` record nor a Wagtail Site
decides where links point. `WAGTAILADMIN_BASE_URL` is derived from the same setting.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from portal import versions


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


def language_neutral_path(path: str) -> str:
    """`path` without its language prefix: the page's address in the default language.

    Public URLs use i18n_patterns without a prefix for the default language (see
    portal.urls), so every other language's address is this path with `/<code>` in front.
    """
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


def path_in_language(neutral_path: str, code: str) -> str:
    """The address of a page (given by its language-neutral path) in language `code`."""
    return neutral_path if code == settings.LANGUAGE_CODE else f"/{code}{neutral_path}"


def language_alternates(
    neutral_path: str, page_paths: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of a page in every interface language, then x-default.

    `page_paths` (`page_language_paths`) are a Wagtail page's own addresses per
    language, when its translation's slugs differ. x-default is the default language's
    address: a visitor whose language the portal does not have gets the Norwegian page,
    as on the site itself.
    """
    paths = {
        code: (page_paths or {}).get(code) or path_in_language(neutral_path, code)
        for code, _name in settings.LANGUAGES
    }
    alternates = [(code, absolute_url(paths[code])) for code, _name in settings.LANGUAGES]
    alternates.append(("x-default", absolute_url(paths[settings.LANGUAGE_CODE])))
    return alternates


def page_language_paths(page: object, request: HttpRequest | None) -> dict[str, str]:
    """The address of the page `request` shows in each interface language, when the
    page can say (`url_in_language`: a Wagtail page of the site, cms.routing): a
    translation may have slugs of its own. Empty otherwise (then the address in
    another language is the same path with or without the language prefix)."""
    url_in_language = getattr(page, "url_in_language", None)
    if url_in_language is None or request is None:
        return {}

    def find() -> dict[str, str]:
        paths = {code: url_in_language(code, request) for code, _name in settings.LANGUAGES}
        return paths if all(paths.values()) else {}

    pk = getattr(page, "pk", None)
    if pk is None:
        return find()
    # Asked twice a page (the hreflang alternates, the language switch), and finding a
    # translation's address takes a while: cached until the page tree changes, per
    # page, site (host), address and the interface language the page is shown in.
    key = "page-language-paths:" + versions.fingerprint(
        pk, request.get_host(), request.path, get_language()
    )
    return versions.cached(versions.PAGES, key, find)
