"""Remind gain owners whose next measurement is due; run daily (e.g. from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import override

from gains.reminders import send_measurement_reminders


class Command(BaseCommand):
    help = "E-mail gain owners whose next measurement is due (once per due date)."

    def handle(self, *args, **options) -> None:
        # Staff read the portal in Norwegian by default.
        with override("nb"):
            sent = send_measurement_reminders(timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent.")
