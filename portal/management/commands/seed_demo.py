from django.core.management.base import BaseCommand
from django.db import transaction

from challenges.models import ChallengePage
from ideas.models import Idea
from portal import demo
from portal.models import Organisation, Unit, User


class Command(BaseCommand):
    help = (
        "Load the demo municipality (Fjordvik kommune). Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo municipality ready: {Unit.objects.count()} units, "
                f"{User.objects.count()} users, {Organisation.objects.count()} organisations, "
                f"{ChallengePage.objects.count()} challenges, {Idea.objects.count()} ideas. "
                f"Demo password for every account: {demo.DEMO_PASSWORD}"
            )
        )
