from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo


class Command(BaseCommand):
    help = (
        "Load the demo municipality (Fjordvik kommune). Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            summaries = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo municipality ready: {', '.join(summaries)}. "
                f"Demo password for every account: {demo.DEMO_PASSWORD}"
            )
        )
