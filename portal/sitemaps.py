"""The sitemap: an index of sections, each a paginated list of public addresses.

Django's sitemap framework gives the sections and their pagination; the rest is our
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
from collections.abc import Callable, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from portal.absolute_urls import (
    absolute_url,
    base_url,
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
    and, when items have dates, `lastmod` and `get_latest_lastmod` (the index asks for
    it; Django's default would read every item).
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
        rebase = on_request_site(self.request)
        items = list(self.paginator.page(page).object_list)
        with translation.override(settings.LANGUAGE_CODE):
            locations = [self.location(item) for item in items]
        for item, location in zip(items, locations, strict=True):
            if not location:
                continue
            neutral = language_neutral_path(location)
            lastmod = self.lastmod(item)
            dates.append(lastmod)
            alternates = [
                {"lang_code": code, "location": rebase(url)}
                for code, url in language_alternates(neutral)
            ]
            for code, _name in settings.LANGUAGES:
                urls.append(
                    {
                        "location": rebase(absolute_url(path_in_language(neutral, code))),
                        "lastmod": lastmod,
                        "alternates": alternates,
                    }
                )
        # The page's Last-Modified header.
        self.latest_lastmod = max(dates) if dates and None not in dates else None
        return urls


class PublicObjectSitemap(PortalSitemap):
    """A section of the public pages of one kind of object: `public()` says which, each
    is at its `get_absolute_url()` and dated by its `updated_at`."""

    def public(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        # In id order: a new object lands on the last page, the others stay where they are.
        return self.public().order_by("pk")

    def location(self, item) -> str:
        return item.get_absolute_url()

    def lastmod(self, item) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return self.public().aggregate(latest=Max("updated_at"))["latest"]


def on_request_site(request: HttpRequest | None) -> Callable[[str], str]:
    """What puts an address on PORTAL_BASE_URL onto the request's own site instead, when
    that is a site of its own (a municipality's hostname, docs/regional.md): its
    sitemap lists its addresses there, as its pages link to each other. On the
    default site, addresses stay on PORTAL_BASE_URL."""
    site = getattr(request, "_wagtail_site", None)  # cms.middleware's, cached
    if site is None or site.is_default_site:
        return lambda url: url
    portal, own = base_url(), site.root_url.rstrip("/")

    def rebase(url: str) -> str:
        return own + url[len(portal) :] if url.startswith(portal + "/") else url

    return rebase


SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
XHTML_NS = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def _w3c_datetime(value: datetime.datetime | datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _alternates_xml(alternates: list[dict]) -> str:
    return "".join(
        f'<xhtml:link rel="alternate" hreflang={quoteattr(alternate["lang_code"])}'
        f" href={quoteattr(alternate['location'])}/>"
        for alternate in alternates
    )


def urlset_xml(urls: Iterable[dict]) -> Iterator[str]:
    """A page of a section as XML, in pieces.

    Written out here rather than through Django's `sitemap.xml` template, which spends
    over a second on the 4,000 addresses of a page. The language versions of an item
    share their alternates (`get_urls`), which are written once for them all.
    """
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {SITEMAP_NS} {XHTML_NS}>\n'
    previous: tuple[list[dict] | None, str] = (None, "")
    for url in urls:
        yield f"<url><loc>{escape(url['location'])}</loc>"
        if url["lastmod"]:
            yield f"<lastmod>{_w3c_datetime(url['lastmod'])}</lastmod>"
        if url["alternates"] is not previous[0]:
            previous = (url["alternates"], _alternates_xml(url["alternates"]))
        yield previous[1]
        yield "</url>\n"
    yield "</urlset>\n"


def index_xml(entries: Iterable[tuple[str, datetime.datetime | None]]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {SITEMAP_NS}>\n'
    for location, lastmod in entries:
        yield f"<sitemap><loc>{escape(location)}</loc>"
        if lastmod:
            yield f"<lastmod>{_w3c_datetime(lastmod)}</lastmod>"
        yield "</sitemap>\n"
    yield "</sitemapindex>\n"


def _xml_response(pieces: Iterator[str]) -> HttpResponse:
    response = HttpResponse("".join(pieces), content_type="application/xml")
    # For crawlers to read, not to show in search results (as Django's sitemap views).
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
def index(
    request: HttpRequest, sitemaps: dict[str, type[PortalSitemap]], section_url_name: str
) -> HttpResponse:
    """The sitemap index: every page of every section, on PORTAL_BASE_URL."""
    entries = []
    rebase = on_request_site(request)
    for name, section_class in sitemaps.items():
        section = section_class(request)
        url = rebase(absolute_url(reverse(section_url_name, kwargs={"section": name})))
        lastmod = section.get_latest_lastmod()
        for number in section.paginator.page_range:
            entries.append((url if number == 1 else f"{url}?p={number}", lastmod))
    return _xml_response(index_xml(entries))


@require_safe
def section(
    request: HttpRequest, sitemaps: dict[str, type[PortalSitemap]], section: str
) -> HttpResponse:
    """One page (`?p=`, from 1) of one section."""
    if section not in sitemaps:
        raise Http404
    sitemap = sitemaps[section](request)
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404 from error
    response = _xml_response(urlset_xml(urls))
    if sitemap.latest_lastmod:
        response.headers["Last-Modified"] = http_date(sitemap.latest_lastmod.timestamp())
    return response
