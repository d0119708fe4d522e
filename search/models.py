"""The embedded backend's own index: one row per public idea or challenge.

Full-text data lives next to these rows in engine-specific structures created by the
migrations (see `search.fulltext`): an FTS5 virtual table on SQLite, `tsvector` columns
with GIN indexes on PostgreSQL. Facet values are rows in `IndexFacet`, so facet counts
are one GROUP BY (but not a challenge's status: searches derive it from its dates).
`IndexWord` is the vocabulary "did you mean" picks from.
"""

from __future__ import annotations

from django.db import models


class IndexEntry(models.Model):
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    comments = models.TextField(blank=True)
    reference = models.CharField(max_length=20, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Ideas only: a challenge's status changes as days pass, so its entry keeps what the
    # status is derived from (its dates and the editor's override) and every search
    # derives it for the day it runs (search.backends.database).
    status = models.CharField(max_length=20, blank=True)
    opens_on = models.DateField(null=True)
    closes_on = models.DateField(null=True)
    status_override = models.CharField(max_length=20, blank=True)
    published_at = models.DateTimeField(null=True)
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="search_entry_unique")
        ]
        # Browsing without words walks these in the page's sort orders and stops at the
        # page (LIMIT), so they cover the whole ORDER BY, tie-breakers included.
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="search_entry_by_newest"),
            models.Index(
                fields=["-support_count", "-published_at", "-id"], name="search_entry_by_support"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} {self.title}"


class RowidField(models.BigIntegerField):
    """A 64-bit integer primary key that is SQLite's rowid: declared `integer` there
    (only `INTEGER PRIMARY KEY` makes a column the rowid, `bigint` adds a second index
    to look it up through), `bigint` elsewhere."""

    def db_type(self, connection) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class IndexRank(models.Model):
    """What ranking a match needs, and only that, one row per entry.

    A common word matches most entries, and ranking them all means reading each one's
    support and date (and, on PostgreSQL, its vector): in the entry rows, behind the
    texts, that is reading the whole index table (213 MB at 100 000 ideas). `id` is the
    entry's id (SQLite's rowid, so a match is found by one lookup). The migrations add
    a foreign key that deletes the row with its entry in the database, which Django
    cannot declare (on SQLite 0007 creates the table itself: a migration that makes
    Django rebuild this table there must add the key again), and on PostgreSQL the
    `document` vector with its GIN index. The rows are written with the entries' full
    text (`search.fulltext`), in the same statement (PostgreSQL) or transaction (SQLite).
    """

    id = RowidField(primary_key=True)
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    support_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"


class RealField(models.FloatField):
    """A 4-byte float on PostgreSQL (`real`, what `ts_rank_cd` returns: stored as it is
    computed, and half the size of a `double precision`), a float elsewhere."""

    def db_type(self, connection) -> str | None:
        if connection.vendor == "postgresql":
            return "real"
        return super().db_type(connection)


class CommonTerm(models.Model):
    """A stem so common that ranking its matches at search time would be slow
    (PostgreSQL only; `search.fulltext.refresh_common_terms` picks them).

    A one-word search for such a stem reads its `CommonTermRank` rows, already scored,
    in order, and stops at the best few thousand, instead of scoring every match. The
    choice only makes searches faster: they rank exactly the same either way.
    """

    stem = models.CharField(max_length=100, primary_key=True)

    def __str__(self) -> str:
        return self.stem


class CommonTermRank(models.Model):
    """One entry's rank for one common stem, as a search for that stem alone would
    score it (`ts_rank_cd`), with what else orders and filters the matches.

    PostgreSQL only, and never written by Django: triggers on `IndexRank` (migration
    0008) write, update and delete these rows with their ranking row, for the stems in
    `CommonTerm` that its document holds, so they cannot drift from the index. A row
    is an `IndexRank` row (`entry_id` is its id) narrowed to one stem: its index walks
    a stem's matches in a search's relevance order.
    """

    pk = models.CompositePrimaryKey("stem", "entry_id")
    stem = models.CharField(max_length=100)
    entry_id = models.BigIntegerField()
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    score = RealField()
    support_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The relevance order (search.backends.database.ORDER), within a stem.
            models.Index(
                fields=["stem", "-score", "-support_count", "-published_at", "-entry_id"],
                name="search_term_by_relevance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stem}: {self.object_type}:{self.object_id}"


class IndexFacet(models.Model):
    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=20)
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "facet", "key"], name="search_facet_unique")
        ]
        indexes = [models.Index(fields=["facet", "key"], name="search_facet_lookup")]

    def __str__(self) -> str:
        return f"{self.facet}={self.key}"


class IndexWord(models.Model):
    """A word (lower case, as written) seen in the title of an indexed document.

    Kept for "did you mean": PostgreSQL finds close words through a pg_trgm index on
    `word` (created by the migrations), SQLite compares the words sharing the first
    letter. Words are added as documents are indexed and pruned on a rebuild, so a word
    may outlive the last title that had it until then; a word is only ever suggested
    while an indexed (public) title still has it, so a hidden idea's words do not leak.
    """

    word = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.word
