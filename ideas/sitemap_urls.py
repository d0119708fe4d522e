"""/sitemap.xml and its sections; outside i18n_patterns (one sitemap lists every language)."""

from django.urls import path

from ideas.sitemaps import SITEMAPS
from portal import sitemaps

urlpatterns = [
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "section_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.section,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
