"""Finding the request's Wagtail site in the cached sites instead of the database."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cms.routing import site_for_request


class CachedSiteMiddleware:
    """Answer `Site.find_for_request` from `cms.routing`'s cached sites.

    Wagtail looks for `request._wagtail_site` before it queries; every page and the
    menus of every other view ask for the site, so setting it here saves a query (and
    the root page's two) on each request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._wagtail_site = site_for_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)
