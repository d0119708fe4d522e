"""The co-creation sections of the sitemap (registered with `ideas.sitemaps` in ready()):
the pages of published processes and of their public meeting points. Nothing else of a
process has an address a crawler may read: its staff screens, hidden meetings and a
participant's receipt answer only to those they belong to."""

from __future__ import annotations

from django.db.models import QuerySet

from cocreation.models import MeetingPoint, Process
from portal.sitemaps import PublicObjectSitemap


class ProcessSitemap(PublicObjectSitemap):
    def public(self) -> QuerySet[Process]:
        return Process.objects.published().only("pk", "slug", "updated_at")


class MeetingSitemap(PublicObjectSitemap):
    def public(self) -> QuerySet[MeetingPoint]:
        return MeetingPoint.objects.public().only("pk", "code", "updated_at")
