"""Request-wide middleware of our own."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import SimpleLazyObject

from portal import auth_backends, figures, versions


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


class LiveFiguresMiddleware:
    """Writes the current value of every live figure into HTML responses (see
    portal.figures): a page served from a cache shows today's support counts.

    Inside VersionsMiddleware (one read of each version per request) and
    LocaleMiddleware (figures are written in the response's language).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or figures.MARK_BYTES not in response.content
        ):
            return response
        charset = response.charset
        response.content = figures.fill(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, for sessions begun before `portal.auth_backends` too (see there).

    As lazy as Django's: a response that never looks at the person does not read the
    session (nor gets `Vary: Cookie` for it).
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request: HttpRequest):
    auth_backends.adopt_previous_session(request)
    return get_user(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own directives on admin paths only.

    The policy is `settings.CONTENT_SECURITY_POLICY`; under
    `PORTAL_ADMIN_PATH_PREFIXES`, `PORTAL_ADMIN_CSP_REPLACE` replaces some of its
    directives (see the settings for why the admin needs them).
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "is_dummy", False):
            # Wagtail's preview runs the page through the middleware inside an admin
            # request; the admin request's policy must be the one that applies (the
            # public one forbids the admin's preview frame).
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(settings.PORTAL_ADMIN_PATH_PREFIXES):
            # A view's own @csp_replace still wins over the admin-wide one.
            parts.replace = {**settings.PORTAL_ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts
