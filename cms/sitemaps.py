"""The pages' section of the sitemap: Wagtail's sitemap, on the portal's public address."""

from __future__ import annotations

import datetime

from django.db.models import Max
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet

from cms.routing import exclude_restricted
from portal.sitemaps import PortalSitemap


class PageSitemap(WagtailSitemap, PortalSitemap):
    """Every live page of the site that is below no view restriction.

    Wagtail's own sitemap, except that addresses are on PORTAL_BASE_URL and listed in
    every language (`PortalSitemap.get_urls`), and the restrictions come from the
    cached restriction index rather than a query.
    """

    def get_wagtail_site(self) -> Site:
        site = getattr(self.request, "_wagtail_site", None)  # cms.middleware's, cached
        return site or super().get_wagtail_site()

    def items(self) -> PageQuerySet:
        root = self.get_wagtail_site().root_page
        pages = Page.objects.descendant_of(root, inclusive=True).live()
        return (
            exclude_restricted(pages)
            .order_by("path")
            .only("pk", "path", "url_path", "last_published_at", "latest_revision_created_at")
        )

    def location(self, page: Page) -> str:
        # Relative for a page of this site; a page of another site has its own sitemap.
        url = page.get_url(self.request, current_site=self.get_wagtail_site())
        return "" if url is None or "://" in url else url

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]
