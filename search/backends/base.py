"""The interface every search backend implements, and the results they return.

Backends are policy objects chosen by a setting (see `search.backends.get_backend`).
Both return the same `SearchResults`, so the search page and the contract tests do not
care which one answered.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from search import content

SORTS = ("relevance", "newest", "support")
PAGE_SIZE = 10
# How many matches a search counts. Every match is still ranked (the best come first,
# whatever their number), but with more than this many the page says "more than 2 000
# results": counting every match of a common word exactly cost more than ranking them.
COUNT_LIMIT = 2000
# How many results a search can page through (the page caps page numbers to match).
RESULT_LIMIT = COUNT_LIMIT


class SearchUnavailable(Exception):
    """The search engine could not answer (down, timed out, misconfigured)."""


@dataclass
class Hit:
    type: str
    pk: int
    title: str
    url: str
    snippet: SafeString
    title_html: SafeString
    status: str = ""
    reference: str = ""
    published_at: datetime.datetime | None = None
    support_count: int = 0
    comment_count: int = 0
    score: float = 0.0

    @property
    def doc_id(self) -> str:
        return f"{self.type}-{self.pk}"


@dataclass
class FacetValue:
    key: str
    count: int
    label: str = ""
    selected: bool = False


@dataclass
class SearchResults:
    query: str
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    did_you_mean: str = ""
    backend: str = ""
    # When not 0: the facet counts cover only the best this many of the `total` matches.
    facets_cover: int = 0

    @property
    def capped(self) -> bool:
        """More than COUNT_LIMIT match: `total` is then only a lower bound (the embedded
        backend stops counting there), shown as "more than COUNT_LIMIT"."""
        return self.total > COUNT_LIMIT

    @property
    def shown_total(self) -> int:
        return min(self.total, COUNT_LIMIT)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.shown_total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    def facet_count(self, facet: str, key: str) -> int:
        return next((v.count for v in self.facets.get(facet, []) if v.key == key), 0)


@dataclass
class Suggestion:
    text: str
    url: str
    type: str


def clean_filters(filters: dict[str, Iterable[str]] | None) -> dict[str, list[str]]:
    """Keep known facets with non-empty values; values are strings."""
    cleaned = {}
    for facet, values in (filters or {}).items():
        if facet not in content.FACETS:
            continue
        values = [str(v) for v in values if str(v).strip()]
        if values:
            cleaned[facet] = sorted(set(values))
    return cleaned


def build_facets(
    counts: Iterable[tuple[str, object, int]], filters: dict[str, list[str]]
) -> dict[str, list[FacetValue]]:
    """Facet values from (facet, key, count) rows, as every backend reports them: the
    most common first, ties by key, and the ones in `filters` marked selected."""
    facets: dict[str, list[FacetValue]] = {}
    for facet, key, count in counts:
        key = str(key)
        facets.setdefault(facet, []).append(
            FacetValue(key=key, count=count, selected=key in filters.get(facet, []))
        )
    for values in facets.values():
        values.sort(key=lambda v: (-v.count, v.key))
    return facets


def hit_url(type_: str, reference: str, stored_url: str) -> str:
    """Ideas link through the active language; challenge, project and solution URLs are
    stored at index time (a project's and a solution's in the default language)."""
    if type_ == content.IDEA and reference:
        return reverse("ideas:detail", kwargs={"reference": reference})
    if type_ in (content.PROJECT, content.SOLUTION) and stored_url:
        # Stored in the default language, which has no prefix (portal.urls).
        from django.utils import translation

        from portal.absolute_urls import path_in_language

        return path_in_language(stored_url, translation.get_language() or "")
    if stored_url:
        from django.urls import translate_url
        from django.utils import translation

        return translate_url(stored_url, translation.get_language())
    return ""


class SearchBackend:
    """What a search backend must do. Every method is safe to call with any input."""

    name = "base"

    def is_indexable(self, obj: models.Model) -> bool:
        return content.is_indexable(obj)

    def index(self, obj: models.Model) -> None:
        """Add or replace one object; removes it instead if it is not public."""
        if not self.is_indexable(obj):
            self.delete(model_label=obj._meta.label_lower, pk=obj.pk)
            return
        self.index_documents([content.document_for(obj)])

    def index_documents(self, docs: list[content.SearchDocument]) -> None:
        raise NotImplementedError

    def delete(self, *, model_label: str, pk: int) -> None:
        raise NotImplementedError

    def search(
        self,
        query: str = "",
        filters: dict[str, Iterable[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = PAGE_SIZE,
        *,
        today: datetime.date | None = None,
    ) -> SearchResults:
        """One page of results. Whatever was asked is made safe here, once for every
        backend: the query cut to 200 characters, unknown filters dropped, the page at
        least 1. `today` is the day challenge statuses are derived for (default: today)."""
        return self.run_search(
            query=(query or "").strip()[:200],
            filters=clean_filters(filters),
            sort=sort,
            page=max(1, int(page or 1)),
            page_size=page_size,
            today=today or timezone.localdate(),
        )

    def run_search(
        self,
        *,
        query: str,
        filters: dict[str, list[str]],
        sort: str,
        page: int,
        page_size: int,
        today: datetime.date,
    ) -> SearchResults:
        """`search` with its arguments already cleaned."""
        raise NotImplementedError

    def suggest(
        self, prefix: str, limit: int = 8, *, municipality: str | None = None
    ) -> list[Suggestion]:
        """Titles starting with `prefix`; only the municipality's (by slug) when given."""
        raise NotImplementedError

    def similar_ideas(
        self,
        text: str,
        limit: int = 5,
        *,
        exclude: int | None = None,
        municipality: str | None = None,
    ) -> list:
        """Public ideas most like `text` (best first), as Idea instances; only the
        municipality's (by slug) when given."""
        raise NotImplementedError

    def similar_solutions(self, text: str, limit: int = 3) -> list:
        """Published solutions most like `text` (best first), as Solution instances with
        their municipality: from any municipality, since the point is to find who has
        already solved it ("connect before building")."""
        raise NotImplementedError

    def rebuild(self, progress=None) -> int:
        """Re-create the whole index from the database and swap it in atomically.

        Readers keep getting answers from the old index until the swap. `progress` is
        called with the number of documents loaded so far. Returns the count.
        """
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def stored_documents(self) -> Iterator[content.SearchDocument]:
        """Every document in the index as it is stored (for `reconcile_counts_and_index`)."""
        raise NotImplementedError

    # -- helpers shared by backends --------------------------------------------------

    @staticmethod
    def _solutions_in_order(ids: list[int]) -> list:
        # Defence in depth: re-check publication in the database.
        found = content.public_solutions().select_related("municipality").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    @staticmethod
    def _ideas_in_order(ids: list[int]) -> list:
        from ideas.models import Idea

        # Defence in depth: re-check publicity in the database.
        found = Idea.objects.public().select_related("owning_unit", "theme").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]
