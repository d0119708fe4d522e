"""The sitemap: an index of sections, each a paginated list of public addresses.

Django's sitemap framework gives the sections and their pagination; two things are our
own. Every address is on `PORTAL_BASE_URL` (`portal.absolute_urls`), as in e-mails and
feeds: Django builds them from the request's host, which names whichever host a
visitor or a proxy used. And each page is listed in every interface language with
hreflang alternates, without Django's `i18n=True`, which builds a list of every item in
every language before it paginates: with 100,000 ideas that would read them all for
each sitemap page. Here a page of the sitemap reads one page of items.

The sections are put together where all their apps are known (`ideas.sitemap_urls`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap_view
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from portal.absolute_urls import (
    absolute_url,
    language_alternates,
    language_neutral_path,
    path_in_language,
)

# Items per sitemap page. Each is listed once per language, so a page has twice as many
# addresses, well under the protocol's 50,000 and 50 MB.
ITEMS_PER_PAGE = 2000


class PortalSitemap(Sitemap):
    """A section whose `location(item)` is a site-relative path.

    Subclasses give `items()` (a queryset, so a page is one slice of it), `location`,
    optionally `lastmod`, and `latest_lastmod_of_all()` when items have dates (the
    index asks for it; Django's default would read every item).
    """

    limit = ITEMS_PER_PAGE

    def __init__(self, request: HttpRequest | None = None) -> None:
        self.request = request

    def lastmod(self, item) -> datetime.datetime | None:
        return None

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return None

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """One page of the section: every item in every language, with its alternates.

        `site` and `protocol` (the request's) are ignored: addresses come from
        PORTAL_BASE_URL.
        """
        urls = []
        dates = []
        for item in self.paginator.page(page).object_list:
            with translation.override(settings.LANGUAGE_CODE):
                location = self.location(item)
            if not location:
                continue
            neutral = language_neutral_path(location)
            lastmod = self.lastmod(item)
            dates.append(lastmod)
            alternates = [
                {"lang_code": code, "location": url} for code, url in language_alternates(neutral)
            ]
            for code, _name in settings.LANGUAGES:
                urls.append(
                    {
                        "item": item,
                        "location": absolute_url(path_in_language(neutral, code)),
                        "lastmod": lastmod,
                        "changefreq": None,
                        "priority": "",
                        "alternates": alternates,
                    }
                )
        # Read by Django's view for the Last-Modified header.
        self.latest_lastmod = max(dates) if dates and None not in dates else None
        return urls


def _sections(request: HttpRequest, sitemaps: dict[str, type[PortalSitemap]]):
    return {name: section(request) for name, section in sitemaps.items()}


@require_safe
@x_robots_tag
def index(
    request: HttpRequest, sitemaps: dict[str, type[PortalSitemap]], section_url_name: str
) -> HttpResponse:
    """The sitemap index: every page of every section, on PORTAL_BASE_URL."""
    entries = []
    for name, section in _sections(request, sitemaps).items():
        url = absolute_url(reverse(section_url_name, kwargs={"section": name}))
        lastmod = section.get_latest_lastmod()
        for number in section.paginator.page_range:
            entries.append(SitemapIndexItem(url if number == 1 else f"{url}?p={number}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_safe
def section(
    request: HttpRequest, sitemaps: dict[str, type[PortalSitemap]], section: str
) -> HttpResponse:
    """One page (`?p=`) of one section, through Django's sitemap view."""
    if section not in sitemaps:
        raise Http404
    return django_sitemap_view(
        request, sitemaps={section: sitemaps[section](request)}, section=section
    )
