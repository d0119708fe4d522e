"""`manage.py generate_bench_data --ideas N`: a municipality of N ideas, in bulk."""

from __future__ import annotations

import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.generator import BenchDataError, Generator, foreign_data, reset


class Command(BaseCommand):
    help = (
        "Create benchmark data: ~N/2000 challenges, N ideas in every status, N×5 votes, "
        "N×2 comments. Refuses to touch a database with data of its own unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ideas", type=int, required=True, help="number of ideas (N)")
        parser.add_argument(
            "--municipalities",
            type=int,
            default=1,
            help="a region of this many municipalities (default 1: a single municipality)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument("--reset", action="store_true", help="remove earlier bench data first")
        parser.add_argument(
            "--force",
            action="store_true",
            help="write even though the database holds data the generator did not make",
        )
        parser.add_argument(
            "--skip-index",
            action="store_true",
            help="do not rebuild the search index afterwards",
        )

    def handle(self, *args, ideas: int, municipalities: int, seed: int, **options) -> None:
        foreign = foreign_data()
        if foreign and not options["force"]:
            found = ", ".join(f"{count} {name}" for name, count in foreign.items())
            raise CommandError(
                f"This database holds data that is not bench data ({found}). "
                "Use an empty database, or --force to add bench data beside it."
            )
        if options["reset"]:
            started = time.monotonic()
            deleted = reset()
            self.stdout.write(
                f"Removed earlier bench data in {time.monotonic() - started:.1f} s: "
                + ", ".join(f"{count} {name}" for name, count in deleted.items())
            )
        where = f" in {municipalities} municipalities" if municipalities > 1 else ""
        self.stdout.write(f"Generating {ideas} ideas{where} (seed {seed}):")
        started = time.monotonic()
        try:
            generator = Generator(
                ideas=ideas, municipalities=municipalities, seed=seed, log=self.stdout.write
            )
            summary = generator.run()
        except BenchDataError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created in {elapsed:.1f} s: "
                + ", ".join(f"{count} {name}" for name, count in summary.counts.items())
            )
        )
        # The rows were bulk-inserted, past the services that queue index updates.
        if not options["skip_index"] and "rebuild_search_index" in get_commands():
            started = time.monotonic()
            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)
            self.stdout.write(f"Search index rebuilt in {time.monotonic() - started:.1f} s")
