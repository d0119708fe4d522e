"""Request-wide middleware of our own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal import versions


class VersionsMiddleware:
    """Each request reads every version of cached data at most once (portal.versions).

    A page asks for the same few versions several times (site, menus, counts,
    fragments); with the shared file cache each ask is a file read. Within a request
    the answer would not change anyway, except by the request's own writes, which the
    scope sees.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with versions.request_scope():
            return self.get_response(request)
