"""Rebuild the search index from the database, in bulk, and swap it in atomically."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from search import content
from search.backends import SearchUnavailable, get_backend, get_database_backend


class Command(BaseCommand):
    help = (
        "Rebuild the search index for every public idea, challenge, project and published "
        "solution. The embedded "
        "index is always rebuilt; Elasticsearch too when ELASTICSEARCH_URL is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )

    def handle(self, *args, **options):
        total = content.count_public()
        show_progress = not options["no_progress"]
        backends = [get_database_backend()]
        configured = get_backend()
        if configured.name != "database":
            backends.append(configured)
        for backend in backends:
            started = time.monotonic()
            self.stdout.write(f"Rebuilding the {backend.name} index: {total} public documents")
            try:
                loaded = backend.rebuild(progress=self._bar(total) if show_progress else None)
            except SearchUnavailable as exc:
                raise CommandError(f"The {backend.name} index could not be rebuilt: {exc}") from exc
            if show_progress:
                self.stdout.write("")
            ideas = content.public_ideas().count()
            challenges = content.public_challenges().count()
            projects = content.public_projects().count()
            solutions = content.public_solutions().count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{backend.name}: indexed {loaded} documents ({ideas} ideas, "
                    f"{challenges} challenges, {projects} projects, {solutions} solutions)"
                    f" in {time.monotonic() - started:.1f} s"
                )
            )

    def _bar(self, total: int):
        width = 30
        out = self.stdout

        def progress(done: int) -> None:
            filled = int(width * done / total) if total else width
            out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if hasattr(sys.stdout, "flush"):
                out.flush()

        return progress
