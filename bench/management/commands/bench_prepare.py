"""`manage.py bench_prepare --out DIR`: the harness's view of the bench database.

Prints JSON: every page's URL, HTTP status and SQL queries (Django's test client, in
process, against the same database as the server), and writes the logged-in request
files for the POST pages into DIR.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from bench.pages import prepare


class Command(BaseCommand):
    help = "Resolve the benchmark's pages, count their queries, prepare logged-in requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="directory for the request files")

    def handle(self, *args, out: str, **options) -> None:
        self.stdout.write(json.dumps(prepare(out).as_dict()))
