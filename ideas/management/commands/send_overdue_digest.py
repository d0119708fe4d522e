"""E-mail each unit the list of its overdue ideas. Meant for a daily cron job."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from ideas.models import Idea
from ideas.notifications import notify_unit, unit_recipients
from ideas.overdue import overdue_ideas, with_deadline
from portal.absolute_urls import base_url as portal_base_url
from portal.models import Unit


class Command(BaseCommand):
    help = "E-mail every unit a list of its ideas that have waited past the deadline."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        base_url = portal_base_url()
        ideas = (
            with_deadline(overdue_ideas(now=now))
            .select_related("owning_unit", "assignee")
            .order_by("owning_unit", "status_changed_at", "pk")
        )
        per_unit: dict[int, list[Idea]] = {}
        for idea in ideas:
            idea.waited_days = (now - idea.status_changed_at).days
            idea.triage_url = base_url + reverse("ideas_triage:idea", args=[idea.pk])
            per_unit.setdefault(idea.owning_unit_id, []).append(idea)

        sent = 0
        # The digest is for staff of a Norwegian municipality: write it in the default
        # language, not whatever the cron environment happens to use.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            for unit in Unit.objects.filter(pk__in=per_unit).order_by("name"):
                if not unit_recipients(unit):
                    self.stderr.write(f"{unit.name}: no staff or contact e-mail, digest not sent")
                    continue
                notify_unit(
                    unit,
                    template="ideas/emails/overdue_digest",
                    context={
                        "ideas": per_unit[unit.pk],
                        "count": len(per_unit[unit.pk]),
                        "queue_url": base_url
                        + reverse("ideas_triage:queue")
                        + f"?unit={unit.pk}&overdue=1",
                    },
                )
                sent += 1
        if options["verbosity"]:
            self.stdout.write(f"Overdue digests sent to {sent} unit(s).")
