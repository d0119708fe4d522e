"""Find and fix drift: stored counts against their rows, the search index against the data.

Every write keeps these right as it happens (portal.invalidation); this is the safety
net for what no write path can see: a task lost while Elasticsearch was down, a bulk
UPDATE run by hand, data loaded from a backup. Run it from cron, e.g. nightly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ideas import counts
from portal import versions
from search import content, fulltext
from search.backends import SearchUnavailable, get_backend, get_database_backend

SHOWN = 10  # how many drifting objects to name per kind


# The text fields of a document, compared as they are ("" for none).
_TEXT_FIELDS = ("title", "summary", "body", "comments", "reference", "url", "status")


def _facet_signature(doc: content.SearchDocument) -> list[tuple[str, tuple[str, ...]]]:
    # Type and status are derived, not stored alike by both index kinds.
    return sorted(
        (facet, tuple(sorted(str(key)[:200] for key in keys)))
        for facet, keys in doc.facets.items()
        if keys and facet not in ("type", "status")
    )


def _comparable(doc: content.SearchDocument) -> str:
    """What a document says, in a form both index kinds and a fresh build agree on."""
    return versions.fingerprint(
        doc.type,
        int(doc.pk),
        [getattr(doc, name) or "" for name in _TEXT_FIELDS],
        doc.published_at.isoformat() if doc.published_at else "",
        int(doc.support_count or 0),
        int(doc.comment_count or 0),
        _facet_signature(doc),
    )


@dataclass(frozen=True)
class _IndexDrift:
    missing: list[tuple[str, int]]
    extra: list[tuple[str, int]]
    stale: list[tuple[str, int]]

    @property
    def size(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.stale)


def _index_drift(backend) -> _IndexDrift:
    stored = {(doc.type, int(doc.pk)): _comparable(doc) for doc in backend.stored_documents()}
    wanted = {
        (doc.type, doc.pk): _comparable(doc)
        for batch in content.all_public_documents()
        for doc in batch
    }
    both = wanted.keys() & stored.keys()
    return _IndexDrift(
        missing=sorted(wanted.keys() - stored.keys()),
        extra=sorted(stored.keys() - wanted.keys()),
        stale=sorted(key for key in both if wanted[key] != stored[key]),
    )


def _fix_index(backend, drift: _IndexDrift) -> None:
    to_index: dict[str, list[int]] = {}
    for type_, pk in drift.missing + drift.stale:
        to_index.setdefault(content.LABEL_BY_TYPE[type_], []).append(pk)
    for label, pks in to_index.items():
        for batch in content.chunks(pks, 500):
            backend.index_documents(content.public_documents(label, batch))
    for type_, pk in drift.extra:
        backend.delete(model_label=content.LABEL_BY_TYPE.get(type_, type_), pk=pk)


class Command(BaseCommand):
    help = (
        "Recount the support and comment counts of ideas from their rows, and compare "
        "the search index (embedded, and Elasticsearch when ELASTICSEARCH_URL is set) with "
        "what should be indexed. Fixes what drifted and reports it; prints 'No drift' "
        "otherwise. With --check, only reports, and exits with status 1 on drift. "
        "Also gives the words that became common their own ranking rows (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Report drift without fixing it; exit 1 if any."
        )

    def handle(self, *args, **options):
        fix = not options["check"]
        found = self._counts(fix=fix)
        backends = [get_database_backend()]
        if (configured := get_backend()).name != "database":
            backends.append(configured)
        for backend in backends:
            try:
                found += self._index(backend, fix=fix)
            except SearchUnavailable as exc:
                raise CommandError(f"The {backend.name} index could not be read: {exc}") from exc
        if fix:
            self._common_terms()
        if not found:
            self.stdout.write(self.style.SUCCESS("No drift: counts and search index match."))
        elif not fix:
            raise CommandError(f"Drift found in {found} places (not fixed: --check).")
        else:
            self.stdout.write(self.style.WARNING(f"Fixed drift in {found} places."))

    def _common_terms(self) -> None:
        """Give the words that have become common their own ranking rows (and take them
        from those no longer common): not drift, only what keeps their searches fast."""
        changed = fulltext.refresh_common_terms(connection)
        if changed.added or changed.removed:
            self.stdout.write(
                f"Common words ranked ahead: {len(changed.stems)} (added "
                f"{', '.join(sorted(changed.added)) or 'none'}; removed "
                f"{', '.join(sorted(changed.removed)) or 'none'})."
            )

    def _counts(self, *, fix: bool) -> int:
        drifts = counts.support_drift() + counts.comment_drift()
        for drift in drifts[:SHOWN]:
            self.stdout.write(
                f"Idea {drift.reference}: {drift.column} was {drift.stored}, "
                f"the rows say {drift.actual}"
            )
        if len(drifts) > SHOWN:
            self.stdout.write(f"... and {len(drifts) - SHOWN} more")
        if drifts and fix:
            for drift in drifts:
                counts.fix_drift(drift)
            # Recounting writes the rows directly; cached pages show the counts.
            versions.bump(versions.IDEAS, versions.SUPPORT)
            self.stdout.write(f"Recounted {len(drifts)} idea counts from their rows.")
        return len(drifts)

    def _index(self, backend, *, fix: bool) -> int:
        drift = _index_drift(backend)
        for label, keys in (
            ("missing", drift.missing),
            ("not public", drift.extra),
            ("out of date", drift.stale),
        ):
            if keys:
                shown = ", ".join(f"{type_} {pk}" for type_, pk in keys[:SHOWN])
                more = f" and {len(keys) - SHOWN} more" if len(keys) > SHOWN else ""
                self.stdout.write(f"{backend.name} index, {label}: {shown}{more}")
        if fix and drift.size:
            _fix_index(backend, drift)
            self.stdout.write(
                f"{backend.name} index: indexed {len(drift.missing)} missing, updated "
                f"{len(drift.stale)} out of date, removed {len(drift.extra)} not public."
            )
        return drift.size
