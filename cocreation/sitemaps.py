"""The co-creation sections of the sitemap (registered with `ideas.sitemaps` in ready()):
the pages of published processes and of their public meeting points. Nothing else of a
process has an address a crawler may read: its staff screens, hidden meetings and a
participant's receipt answer only to those they belong to."""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet

from cocreation.models import MeetingPoint, Process
from portal.sitemaps import PortalSitemap


class ProcessSitemap(PortalSitemap):
    def items(self) -> QuerySet[Process]:
        # In id order: a new process lands on the last page, the others stay put.
        return Process.objects.published().order_by("pk").only("pk", "slug", "updated_at")

    def location(self, process: Process) -> str:
        return process.get_absolute_url()

    def lastmod(self, process: Process) -> datetime.datetime:
        return process.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return Process.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class MeetingSitemap(PortalSitemap):
    def items(self) -> QuerySet[MeetingPoint]:
        return MeetingPoint.objects.public().order_by("pk").only("pk", "code", "updated_at")

    def location(self, meeting: MeetingPoint) -> str:
        return meeting.get_absolute_url()

    def lastmod(self, meeting: MeetingPoint) -> datetime.datetime:
        return meeting.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return MeetingPoint.objects.public().aggregate(latest=Max("updated_at"))["latest"]
