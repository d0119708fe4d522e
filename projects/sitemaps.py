"""The projects' section of the sitemap (registered with `ideas.sitemaps` in ready())."""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet

from portal.sitemaps import PortalSitemap
from projects.models import Project


class ProjectSitemap(PortalSitemap):
    """Every project's public page. Nothing else of a project has an address a crawler
    may read: its staff pages and internal documents answer only to those who work on it.
    """

    def items(self) -> QuerySet[Project]:
        # In id order: a new project lands on the last page, the others stay put.
        return Project.objects.order_by("pk").only("pk", "slug", "updated_at")

    def location(self, project: Project) -> str:
        return project.get_absolute_url()

    def lastmod(self, project: Project) -> datetime.datetime:
        return project.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return Project.objects.aggregate(latest=Max("updated_at"))["latest"]
