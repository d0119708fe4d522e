"""Finding the request's Wagtail site in the cached sites instead of the database, and
choosing how workflow names read on the screens that edit them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cms.routing import site_for_request
from cms.workflow_names import show_stored_names, showing_stored_names, shows_stored_names


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


class StoredWorkflowNamesMiddleware:
    """Show workflow and task names as stored on the screens that edit them.

    Elsewhere a name is shown in the interface language (cms.workflow_names); the form
    that edits the Norwegian name must hold the Norwegian name, whatever the editor's
    admin language, or saving it would store the English one in its place. The screens
    for the English names show the Norwegian name each translates.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A request starts in the interface language and ends there, whatever
        # process_view chose: the choice never outlives the request.
        with showing_stored_names(False):
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if match is not None and shows_stored_names(match.view_name, match.namespace):
            # Until the response is rendered (TemplateResponses render inside
            # get_response, so within __call__'s block).
            show_stored_names()
