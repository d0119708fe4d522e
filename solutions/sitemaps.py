"""The solution library's section of the sitemap (registered with `ideas.sitemaps` in
ready()): published solutions only, so a draft or a withdrawn one is never announced."""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet

from portal.sitemaps import PortalSitemap
from solutions.models import Solution


class SolutionSitemap(PortalSitemap):
    def items(self) -> QuerySet[Solution]:
        # In id order: a new solution lands on the last page, the others stay put.
        return Solution.objects.published().order_by("pk").only("pk", "slug", "updated_at")

    def location(self, solution: Solution) -> str:
        return solution.get_absolute_url()

    def lastmod(self, solution: Solution) -> datetime.datetime:
        return solution.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return Solution.objects.published().aggregate(latest=Max("updated_at"))["latest"]
