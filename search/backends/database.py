"""The embedded backend: full-text search in the project's own database.

SQLite: an FTS5 table (`portal_search_fts`, rowid = IndexEntry.id) holding stemmed text;
words are stemmed in Python with the Snowball Norwegian algorithm (`search.text`).
PostgreSQL: generated `tsvector` columns on `portal_search_indexentry` using the
`norwegian` configuration, with GIN indexes (see the migrations).

Ranking weighs title > summary > body > comments on both. Publicity is checked again in
every query (defence in depth): an entry whose idea or challenge has stopped being public
is never returned, even before the index catches up.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Q

from portal import versions
from search import content, text
from search.backends.base import (
    PAGE_SIZE,
    RESULT_LIMIT,
    Hit,
    SearchBackend,
    SearchResults,
    Suggestion,
    build_facets,
    clean_filters,
    hit_url,
)
from search.models import IndexEntry, IndexFacet

logger = logging.getLogger(__name__)

FTS = "portal_search_fts"
ENTRY = IndexEntry._meta.db_table
FACET = IndexFacet._meta.db_table
# bm25 column weights: title, summary, body, comments, title_plain (not ranked).
BM25 = f"bm25({FTS}, 10.0, 5.0, 2.0, 1.0, 0.0)"
TEXT_COLUMNS = "{title summary body comments}"
# Duplicates show in what an idea is called and its summary, not in passing mentions
# in long descriptions (bm25 saturates, so weights alone cannot say this).
SIMILAR_COLUMNS = "{title summary}"
SAFE_WORD = re.compile(r"^\w+$", re.UNICODE)
# Which matches a search looks at when there are more than RESULT_LIMIT of them (see
# `DatabaseBackend._candidates_sql`): for "relevance", the newest are ranked. Each order
# is served by an index (IndexEntry.Meta.indexes).
CANDIDATE_ORDER = {
    "relevance": "e.published_at DESC, e.id DESC",
    "newest": "e.published_at DESC, e.id DESC",
    "support": "e.support_count DESC, e.published_at DESC, e.id DESC",
}


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _in_list(ids: list[int]) -> tuple[str, list]:
    """`IN (...)` for many ids: one array parameter on PostgreSQL (cheap to send)."""
    if _is_postgres():
        # As an array literal: far cheaper for the driver than a list of 1 000 ints.
        return "= ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    return f"IN ({', '.join(['%s'] * len(ids))})", ids


def _fts_phrase(term: str) -> str:
    # Terms come from \w+ tokens, but quote them anyway so FTS5 syntax never leaks in.
    return '"' + term.replace('"', '""') + '"'


class DatabaseBackend(SearchBackend):
    name = "database"

    # -- writing ---------------------------------------------------------------------

    def index_documents(self, docs: list[content.SearchDocument]) -> None:
        if not docs:
            return
        with transaction.atomic():
            self._delete_keys([(d.type, d.pk) for d in docs])
            entries = IndexEntry.objects.bulk_create(
                [
                    IndexEntry(
                        object_type=d.type,
                        object_id=d.pk,
                        title=d.title,
                        summary=d.summary,
                        body=d.body,
                        comments=d.comments,
                        reference=d.reference,
                        url=d.url,
                        status=d.status,
                        published_at=d.published_at,
                        support_count=d.support_count,
                        comment_count=d.comment_count,
                    )
                    for d in docs
                ]
            )
            IndexFacet.objects.bulk_create(
                [
                    IndexFacet(entry=entry, facet=facet, key=key[:200])
                    for entry, doc in zip(entries, docs, strict=True)
                    for facet, keys in doc.facets.items()
                    for key in keys
                ]
            )
            if not _is_postgres():
                with connection.cursor() as cursor:
                    # A flush (TransactionTestCase, `manage.py flush`) empties the entry
                    # table but not the FTS table, and ids may then be reused.
                    cursor.executemany(
                        f"DELETE FROM {FTS} WHERE rowid = %s", [(e.pk,) for e in entries]
                    )
                    cursor.executemany(
                        f"INSERT INTO {FTS}(rowid, title, summary, body, comments, title_plain)"
                        " VALUES (%s, %s, %s, %s, %s, %s)",
                        [
                            (
                                entry.pk,
                                text.stemmed_text(doc.title),
                                text.stemmed_text(doc.summary),
                                text.stemmed_text(doc.body),
                                text.stemmed_text(doc.comments),
                                " ".join(text.words(doc.title)),
                            )
                            for entry, doc in zip(entries, docs, strict=True)
                        ],
                    )
        # Cached result pages (search.views) are stale from now on. Bumped after the
        # write, never before: a search between a bump and the write would cache the
        # old results under the new version, where they would stay.
        versions.bump(versions.SEARCH)

    def _delete_keys(self, keys: list[tuple[str, int]]) -> None:
        if not keys:
            return
        condition = Q()
        for type_, pk in keys:
            condition |= Q(object_type=type_, object_id=pk)
        ids = list(IndexEntry.objects.filter(condition).values_list("pk", flat=True))
        if not ids:
            return
        if not _is_postgres():
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", [(i,) for i in ids])
        IndexEntry.objects.filter(pk__in=ids).delete()

    def delete(self, *, model_label: str, pk: int) -> None:
        type_ = content.TYPE_BY_LABEL.get(model_label)
        if type_ is None:
            return
        with transaction.atomic():
            self._delete_keys([(type_, int(pk))])
        versions.bump(versions.SEARCH)  # after the write (see index_documents)

    def clear(self) -> None:
        with transaction.atomic():
            if not _is_postgres():
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {FTS}")
            IndexFacet.objects.all().delete()
            IndexEntry.objects.all().delete()
        versions.bump(versions.SEARCH)  # after the write (see index_documents)

    def rebuild(self, progress=None) -> int:
        # One transaction: readers see the old index until it commits (on PostgreSQL
        # through MVCC, on SQLite in WAL mode), which is the embedded "alias swap".
        loaded = 0
        with transaction.atomic():
            self.clear()
            for batch in content.all_public_documents():
                self.index_documents(batch)
                loaded += len(batch)
                if progress:
                    progress(loaded)
        return loaded

    def count(self) -> int:
        return IndexEntry.objects.count()

    def stored_documents(self, batch_size: int = 2000) -> Iterator[content.SearchDocument]:
        last = 0
        while True:
            entries = list(IndexEntry.objects.filter(pk__gt=last).order_by("pk")[:batch_size])
            if not entries:
                return
            last = entries[-1].pk
            facets: dict[int, dict[str, list[str]]] = {}
            rows = IndexFacet.objects.filter(entry__in=entries).values_list(
                "entry_id", "facet", "key"
            )
            for entry_id, facet, key in rows:
                facets.setdefault(entry_id, {}).setdefault(facet, []).append(key)
            for entry in entries:
                yield content.SearchDocument(
                    type=entry.object_type,
                    pk=entry.object_id,
                    title=entry.title,
                    summary=entry.summary,
                    body=entry.body,
                    comments=entry.comments,
                    reference=entry.reference,
                    url=entry.url,
                    status=entry.status,
                    published_at=entry.published_at,
                    support_count=entry.support_count,
                    comment_count=entry.comment_count,
                    facets=facets.get(entry.pk, {}),
                )

    # -- reading ---------------------------------------------------------------------

    def _public_join(self) -> tuple[str, list]:
        """A LEFT JOIN giving each entry `e` its idea as `public_idea`, if that is public.

        A join rather than `IN (public ideas)`: the database then looks up only the ideas
        of the entries it reads (by primary key), instead of listing every public idea.
        """
        # No ORDER BY (Idea's default ordering), or PostgreSQL cannot flatten the join.
        ideas = content.public_ideas().order_by().values("pk")
        ideas_sql, ideas_params = ideas.query.sql_with_params()
        sql = (
            f" LEFT JOIN ({ideas_sql}) public_idea"
            " ON public_idea.pk = e.object_id AND e.object_type = %s"
        )
        return sql, [*ideas_params, content.IDEA]

    def _conditions(
        self, filters: dict[str, list[str]], types: Iterable[str] = (), exclude=None
    ) -> tuple[str, list]:
        """WHERE conditions on `e` (with `_public_join`): public now, and passes `filters`."""
        challenges_sql, challenges_params = (
            content.public_challenges().order_by().values("pk").query.sql_with_params()
        )
        parts = [
            "((e.object_type = %s AND public_idea.pk IS NOT NULL)"
            f" OR (e.object_type = %s AND e.object_id IN ({challenges_sql})))"
        ]
        params = [content.IDEA, content.CHALLENGE, *challenges_params]
        if types := list(types):
            parts.append(f"e.object_type IN ({', '.join(['%s'] * len(types))})")
            params += types
        if exclude is not None:
            parts.append("NOT (e.object_type = %s AND e.object_id = %s)")
            params += [content.IDEA, exclude]
        for facet, keys in filters.items():
            parts.append(
                f"e.id IN (SELECT entry_id FROM {FACET}"
                f" WHERE facet = %s AND key IN ({', '.join(['%s'] * len(keys))}))"
            )
            params += [facet, *keys]
        return " AND ".join(parts), params

    def _matched_sql(
        self, query_terms, filters, *, any_term=False, types=(), exclude=None, columns=TEXT_COLUMNS
    ):
        """SQL selecting (id, score, published_at, support_count) of matching entries.

        Ranks every match: only for callers that need few, well-chosen words (similar
        ideas); the search page ranks a bounded set instead (`_candidates_sql`).
        """
        join_sql, join_params = self._public_join()
        where_sql, where_params = self._conditions(filters, types, exclude)
        if _is_postgres():
            tsquery = (" | " if any_term else " & ").join(
                t for t in query_terms if SAFE_WORD.match(t)
            )
            sql = (
                "SELECT e.id AS id,"
                " ts_rank(e.document, to_tsquery('norwegian', %s)) AS score,"
                " e.published_at AS published_at, e.support_count AS support_count"
                f" FROM {ENTRY} e{join_sql}"
                f" WHERE e.document @@ to_tsquery('norwegian', %s) AND {where_sql}"
            )
            return sql, [tsquery, *join_params, tsquery, *where_params]
        joiner = " OR " if any_term else " AND "
        match = joiner.join(_fts_phrase(t) for t in query_terms)
        sql = (
            f"SELECT e.id AS id, -{BM25} AS score, e.published_at AS published_at,"
            f" e.support_count AS support_count FROM {FTS}"
            f" JOIN {ENTRY} e ON e.id = {FTS}.rowid{join_sql}"
            f" WHERE {FTS} MATCH %s AND {where_sql}"
        )
        # Column filter keeps the unstemmed title column out of ordinary matches.
        return sql, [*join_params, columns + " : (" + match + ")", *where_params]

    def _candidates_sql(self, query_terms, filters, sort: str) -> tuple[str, list]:
        """SQL selecting (id, score) of the candidates, in candidate order.

        The candidates are the first matches in `CANDIDATE_ORDER[sort]`, up to a LIMIT
        given as the last parameter. The database walks an index in that order and stops
        at the limit, so the cost does not grow with the number of matches. On
        PostgreSQL only candidates are ranked, and only for "relevance".
        """
        order = CANDIDATE_ORDER[sort]
        join_sql, join_params = self._public_join()
        where_sql, where_params = self._conditions(filters)
        if not query_terms:
            sql = (
                f"SELECT e.id, 0.0 FROM {ENTRY} e{join_sql}"
                f" WHERE {where_sql} ORDER BY {order} LIMIT %s"
            )
            return sql, [*join_params, *where_params]
        if _is_postgres():
            tsquery = " & ".join(t for t in query_terms if SAFE_WORD.match(t))
            candidates = (
                "SELECT e.id AS id, e.published_at AS published_at,"
                f" e.support_count AS support_count FROM {ENTRY} e{join_sql}"
                f" WHERE e.document @@ to_tsquery('norwegian', %s) AND {where_sql}"
                f" ORDER BY {order} LIMIT %s"
            )
            if sort != "relevance":
                return (
                    f"SELECT e.id, 0.0 FROM ({candidates}) e ORDER BY {order}",
                    [*join_params, tsquery, *where_params],
                )
            sql = (
                "SELECT e.id, ts_rank(ranked.document, to_tsquery('norwegian', %s))"
                f" FROM ({candidates}) e JOIN {ENTRY} ranked ON ranked.id = e.id"
                f" ORDER BY {order}"
            )
            return sql, [tsquery, *join_params, tsquery, *where_params]
        match = " AND ".join(_fts_phrase(t) for t in query_terms)
        sql = (
            f"SELECT e.id, -{BM25} FROM {FTS} JOIN {ENTRY} e ON e.id = {FTS}.rowid{join_sql}"
            f" WHERE {FTS} MATCH %s AND {where_sql} ORDER BY {order} LIMIT %s"
        )
        return sql, [*join_params, TEXT_COLUMNS + " : (" + match + ")", *where_params]

    def _query_terms(self, query: str) -> list[str]:
        if _is_postgres():
            # PostgreSQL stems with its own Snowball stemmer; give it the words.
            return [w for w in text.words(query) if w not in text.STOP_WORDS][:32]
        return list(dict.fromkeys(text.terms(query)))[:32]

    def search(
        self,
        query: str = "",
        filters=None,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> SearchResults:
        query = (query or "").strip()[:200]
        filters = clean_filters(filters)
        page = max(1, int(page or 1))
        if sort not in CANDIDATE_ORDER:
            sort = "relevance"
        words = text.words(query)
        query_terms = self._query_terms(query)
        if words and not query_terms:
            # Only stop words: nothing meaningful to look for.
            return SearchResults(query, [], 0, page, page_size, {}, backend=self.name)
        sql, params = self._candidates_sql(query_terms, filters, sort)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, RESULT_LIMIT + 1])
            candidates = cursor.fetchall()
            capped = len(candidates) > RESULT_LIMIT
            del candidates[RESULT_LIMIT:]
            if sort == "relevance" and query_terms:
                # Stable: equal scores stay newest first, as they came.
                candidates.sort(key=lambda row: row[1], reverse=True)
            facet_rows = []
            if candidates:
                in_sql, in_params = _in_list([row[0] for row in candidates])
                cursor.execute(
                    f"SELECT facet, key, COUNT(*) FROM {FACET}"
                    f" WHERE entry_id {in_sql} GROUP BY facet, key",
                    in_params,
                )
                facet_rows = cursor.fetchall()
        total = len(candidates)
        rows = candidates[(page - 1) * page_size : page * page_size]
        entries = IndexEntry.objects.in_bulk([r[0] for r in rows])
        highlight_terms = set(text.terms(query))
        hits = []
        for entry_id, rank in rows:
            entry = entries.get(entry_id)
            if entry is None:
                continue
            source = next(
                (
                    f
                    for f in (entry.summary, entry.body, entry.comments)
                    if text.mentions(f, highlight_terms)
                ),
                entry.summary,
            )
            hits.append(
                Hit(
                    type=entry.object_type,
                    pk=entry.object_id,
                    title=entry.title,
                    title_html=text.highlight(entry.title, highlight_terms, length=400),
                    url=hit_url(entry.object_type, entry.reference, entry.url),
                    snippet=text.highlight(source, highlight_terms),
                    status=entry.status,
                    reference=entry.reference,
                    published_at=entry.published_at,
                    support_count=entry.support_count,
                    comment_count=entry.comment_count,
                    score=float(rank or 0),
                )
            )
        facets = build_facets(facet_rows, filters)
        did_you_mean = ""
        if total == 0 and words:
            did_you_mean = self._did_you_mean(words)
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            page=page,
            page_size=page_size,
            facets=facets,
            did_you_mean=did_you_mean,
            backend=self.name,
            capped=capped,
        )

    def _vocabulary(self) -> list[str]:
        with connection.cursor() as cursor:
            if _is_postgres():
                cursor.execute(f"SELECT word FROM ts_stat('SELECT title_simple FROM {ENTRY}')")
            else:
                cursor.execute("SELECT term FROM portal_search_vocab WHERE col = 'title_plain'")
            return [row[0] for row in cursor.fetchall()]

    def _did_you_mean(self, words: list[str]) -> str:
        vocabulary = self._vocabulary()
        known = set(vocabulary)
        changed = False
        corrected = []
        for word in words:
            if word in known or word in text.STOP_WORDS:
                corrected.append(word)
                continue
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
            if close:
                corrected.append(close[0])
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else ""

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        words = text.words((prefix or "")[:100])
        if not words or len("".join(words)) < 2:
            return []
        join_sql, join_params = self._public_join()
        where_sql, where_params = self._conditions({})
        if _is_postgres():
            tsquery = " & ".join(words[:-1] + [words[-1] + ":*"])
            sql = (
                f"SELECT e.id FROM {ENTRY} e{join_sql}"
                f" WHERE e.title_simple @@ to_tsquery('simple', %s) AND {where_sql}"
                " ORDER BY e.object_type = 'challenge' DESC, e.support_count DESC, e.id DESC"
                " LIMIT %s"
            )
            params = [*join_params, tsquery, *where_params, limit]
        else:
            match = " AND ".join(
                [_fts_phrase(w) for w in words[:-1]] + [_fts_phrase(words[-1]) + "*"]
            )
            sql = (
                f"SELECT e.id FROM {FTS} JOIN {ENTRY} e ON e.id = {FTS}.rowid{join_sql}"
                f" WHERE {FTS} MATCH %s AND {where_sql}"
                " ORDER BY e.object_type = 'challenge' DESC, e.support_count DESC, e.id DESC"
                " LIMIT %s"
            )
            params = [*join_params, "{title_plain} : (" + match + ")", *where_params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        entries = IndexEntry.objects.in_bulk(ids)
        return [
            Suggestion(
                text=entries[i].title,
                url=hit_url(entries[i].object_type, entries[i].reference, entries[i].url),
                type=entries[i].object_type,
            )
            for i in ids
            if i in entries
        ]

    def similar_ideas(self, text: str, limit: int = 5, *, exclude: int | None = None) -> list:
        query_terms = self._query_terms(text or "")
        if not query_terms:
            return []
        matched_sql, params = self._matched_sql(
            query_terms,
            {},
            any_term=True,
            types=[content.IDEA],
            exclude=exclude,
            columns=SIMILAR_COLUMNS,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.object_id FROM ({matched_sql}) m JOIN {ENTRY} e ON e.id = m.id"
                " ORDER BY m.score DESC, m.id DESC LIMIT %s",
                [*params, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return self._ideas_in_order(ids)
