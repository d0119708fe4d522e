"""The ideas' sections of the sitemap, and the sitemap as a whole (`SITEMAPS`)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from challenges.selectors import challenges_visible_to
from cms.regional import site_municipality
from cms.sitemaps import PageSitemap
from ideas.models import Idea
from portal.sitemaps import PortalSitemap


def sitemap_ideas(municipality_id: int | None = None) -> QuerySet[Idea]:
    """The ideas a search engine may be told of (only the municipality's, when given:
    the sitemap of its own hostname).

    Public ideas (not hidden, withdrawn or merged away) that answer no challenge, or a
    challenge anyone may see: an idea answering a challenge behind a view restriction
    (or an unpublished one) would name what the restriction keeps to its audience.
    """
    visible_challenges = challenges_visible_to(AnonymousUser()).values("pk")
    ideas = Idea.objects.public().filter(
        Q(challenge__isnull=True) | Q(challenge_id__in=visible_challenges)
    )
    if municipality_id is not None:
        ideas = ideas.filter(municipality_id=municipality_id)
    return ideas


# Shaped like a reference, so it fits however the URL pattern may check references.
REFERENCE_SLOT = "0000-00000"


class IdeaSitemap(PortalSitemap):
    def _ideas(self) -> QuerySet[Idea]:
        # A municipality's own hostname lists its ideas; the shared host the region's.
        own = site_municipality(self.request)
        return sitemap_ideas(own.pk if own else None)

    def items(self) -> QuerySet[Idea]:
        # In id order: a new idea lands on the last page, the others stay where they were.
        return self._ideas().order_by("pk").only("pk", "reference", "updated_at")

    def location(self, idea: Idea) -> str:
        # Reversed once: a page has 2,000 ideas, and their addresses differ only in the
        # reference (always letters, digits and hyphens, safe in a path).
        if not hasattr(self, "_detail_path"):
            self._detail_path = reverse("ideas:detail", kwargs={"reference": REFERENCE_SLOT})
        return self._detail_path.replace(REFERENCE_SLOT, idea.reference)

    def lastmod(self, idea: Idea) -> datetime.datetime:
        return idea.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return self._ideas().aggregate(latest=Max("updated_at"))["latest"]


class IdeaListSitemap(PortalSitemap):
    """The idea list, which is a view rather than a page (the challenges are pages)."""

    def items(self) -> list[str]:
        return ["ideas:list"]

    def location(self, name: str) -> str:
        return reverse(name)


# The sections of /sitemap.xml, in the order the index lists them. Apps above ideas
# (which ideas may not import) add theirs with `register_section` from their ready().
SITEMAPS: dict[str, type[PortalSitemap]] = {
    "pages": PageSitemap,
    "lists": IdeaListSitemap,
    "ideas": IdeaSitemap,
}


def register_section(name: str, sitemap: type[PortalSitemap]) -> None:
    """Add a section, listed after those already there (/sitemap-<name>.xml)."""
    SITEMAPS[name] = sitemap
