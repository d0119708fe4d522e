"""Remind registered participants of meetings that start within a day. Run it hourly."""

from django.core.management.base import BaseCommand

from cocreation.services import meeting_reminders_send


class Command(BaseCommand):
    help = "E-mail a reminder to everyone with a seat at a meeting that starts within 24 hours."

    def handle(self, *args, **options) -> None:
        sent = meeting_reminders_send()
        self.stdout.write(f"{sent} reminder(s) queued.")
