"""The solution library's section of the sitemap (registered with `ideas.sitemaps` in
ready()): published solutions only, so a draft or a withdrawn one is never announced."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.sitemaps import PublicObjectSitemap
from solutions.models import Solution


class SolutionSitemap(PublicObjectSitemap):
    def public(self) -> QuerySet[Solution]:
        return Solution.objects.published().only("pk", "slug", "updated_at")
