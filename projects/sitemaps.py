"""The projects' section of the sitemap (registered with `ideas.sitemaps` in ready())."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.sitemaps import PublicObjectSitemap
from projects.models import Project


class ProjectSitemap(PublicObjectSitemap):
    """Every project's public page. Nothing else of a project has an address a crawler
    may read: its staff pages and internal documents answer only to those who work on it.
    """

    def public(self) -> QuerySet[Project]:
        return Project.objects.only("pk", "slug", "updated_at")
