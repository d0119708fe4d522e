"""The embedded backend's own index: one row per public idea or challenge.

Full-text data lives next to these rows in engine-specific structures created by the
migrations: an FTS5 virtual table on SQLite, generated `tsvector` columns with GIN
indexes on PostgreSQL. Facet values are rows in `IndexFacet`, so facet counts are one
GROUP BY.
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
    status = models.CharField(max_length=20, blank=True)
    published_at = models.DateTimeField(null=True)
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="search_entry_unique")
        ]
        # The search page walks these in its sort orders and stops after a bounded
        # number of matches (search.backends.database.CANDIDATE_ORDER), so they cover
        # the whole ORDER BY, tie-breakers included.
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="search_entry_by_newest"),
            models.Index(
                fields=["-support_count", "-published_at", "-id"], name="search_entry_by_support"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} {self.title}"


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
