"""`manage.py bench_verify`: do the visible vote counts still equal the vote rows?"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from bench.generator import support_count_drift
from ideas.models import Vote


class Command(BaseCommand):
    help = "Print JSON with the number of ideas whose support count differs from their votes."

    def handle(self, *args, **options) -> None:
        self.stdout.write(
            json.dumps({"drift": support_count_drift(), "votes": Vote.objects.count()})
        )
