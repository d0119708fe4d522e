"""The embedded backend: full-text search in the project's own database.

Words are stemmed in Python (Snowball Norwegian, `search.text`) and stored as stems in
engine-specific structures (`search.fulltext`): an FTS5 table on SQLite, ranked with
`bm25()`; GIN-indexed `tsvector` columns on PostgreSQL, ranked with `ts_rank_cd()`.
Both weigh title > summary and tags > body > comments.

Every match is ranked: the index finds the matches, the database scores each one and
keeps the best COUNT_LIMIT + 1 (ORDER BY ... LIMIT, a top-N sort that never holds every
match), then the page, the count and the facet counts come from those, in the same
statement. The count therefore stops at COUNT_LIMIT + 1 ("more than 2 000"): counting
every match of a common word exactly cost more than ranking them. The facet counts
cover the best FACET_LIMIT matches when there are more (and say so).
Publicity is checked again in every query (defence in depth): an entry whose idea or
challenge has stopped being public is never returned, even before the index catches up.
A search checks it on the best matches after ranking them, not on every match, and
ranks again among the public matches only when too many of the best were not public.

A challenge's status depends on the day: its entry keeps its dates and the editor's
override, and every search derives the status for the day it runs (filter, facet counts
and the status shown) with `challenges.models.status_q` and `derive_status`, the rules
the challenge pages themselves follow. Nothing needs re-indexing when a deadline passes.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import logging
import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from challenges.models import ChallengeStatus, derive_status, status_q
from portal import versions
from search import content, fulltext, text
from search.backends import base
from search.backends.base import (
    Hit,
    SearchBackend,
    SearchResults,
    Suggestion,
    build_facets,
    hit_url,
)
from search.models import IndexEntry, IndexFacet

logger = logging.getLogger(__name__)

FTS = fulltext.FTS
ENTRY = IndexEntry._meta.db_table
RANK = fulltext.RANK
FACET = IndexFacet._meta.db_table
WORD = fulltext.WORD
COMMON = fulltext.COMMON
TERM = fulltext.TERM
# bm25 column weights: title, summary and tags, body, comments, title_plain (not ranked).
BM25 = f"bm25({FTS}, 10.0, 5.0, 2.0, 1.0, 0.0)"
# ts_rank_cd's weights for D, C, B, A (comments, body, summary and tags, title), and
# normalization 1: divided by 1 + log(length), so a long text does not win on length
# alone (bm25 does the same on SQLite).
TS_RANK = (
    "ts_rank_cd('"
    + fulltext.RANK_WEIGHTS.translate({123: "{{", 125: "}}"})
    + "', e.{vector}, query, 1)"
)
TEXT_COLUMNS = "{title summary body comments}"
# Duplicates show in what an idea is called and its summary, not in passing mentions
# in long descriptions (bm25 saturates, so weights alone cannot say this).
SIMILAR_COLUMNS = "{title summary}"
SAFE_WORD = re.compile(r"^\w+$", re.UNICODE)
MAX_TERMS = 32
# The order of each sort; ties fall to the more supported, then the newer.
ORDER = {
    "relevance": "score DESC, support_count DESC, published_at DESC, id DESC",
    "newest": "published_at DESC, id DESC",
    "support": "support_count DESC, published_at DESC, id DESC",
}
# The facet counts cover the best this many matches (in the page's order) when there
# are more: counting every facet value of tens of thousands of matches costs far more
# than ranking them (each match has half a dozen facet rows to join and group).
FACET_LIMIT = 2000
# A search ranks the best COUNT_LIMIT + 1 + PUBLIC_MARGIN matches before it checks that
# they are public, and checks only those (`_page_count_and_facets`). The index drops
# what stops being public, so only entries it has not caught up with yet take a place
# here; when more than PUBLIC_MARGIN of these best matches turn out not to be public,
# a second statement ranks the public matches alone.
PUBLIC_MARGIN = 200
# Similar ideas leave out stems found in more than this share of the headlines, and in
# more than COMMON_MIN of them (in a small index every word is in a large share).
COMMON_SHARE = 0.05
COMMON_MIN = 500
# "Did you mean": how many close words the database offers per word (difflib picks).
CLOSE_WORDS = 8
# SQLite has no trigram index: it compares the words sharing the first letter and a
# similar length, at most this many (the most common first letters hold the most).
SQLITE_CANDIDATES = 2000


def _facet_limit() -> int:
    """How many of the best matches the facet counts cover: never more than are
    counted (the best COUNT_LIMIT + 1)."""
    return min(FACET_LIMIT, base.COUNT_LIMIT)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _fts_phrase(term: str) -> str:
    # Terms come from \w+ tokens, but quote them anyway so FTS5 syntax never leaks in.
    return '"' + term.replace('"', '""') + '"'


def _tsquery(terms: list[str], *, any_term: bool = False) -> str:
    """A to_tsquery('simple', ...) string of stems (word characters only: no operator)."""
    return (" | " if any_term else " & ").join(t for t in terms if SAFE_WORD.match(t))


def _challenge_entries():
    return IndexEntry.objects.filter(object_type=content.CHALLENGE)


def _challenges_with_status_sql(statuses: list[str], day: datetime.date) -> tuple[str, list]:
    """SQL selecting the id of every challenge entry whose status on `day` is one of
    `statuses`: `status_q`, the rule the challenge pages are filtered by, on the entry's
    copy of the same fields."""
    condition = functools.reduce(operator.or_, (status_q(status, day) for status in statuses))
    return _challenge_entries().filter(condition).values("id").query.sql_with_params()


def _challenge_statuses_sql(day: datetime.date) -> tuple[str, list]:
    """SQL selecting (id, status) of every challenge entry, its status on `day` by
    `status_q` (each challenge has exactly one)."""
    status = Case(
        *[When(status_q(key, day), then=Value(key)) for key in ChallengeStatus.values],
        default=Value(""),
    )
    return (
        _challenge_entries()
        .annotate(status_on=status)
        .values_list("id", "status_on")
        .query.sql_with_params()
    )


def _entry_status(entry: IndexEntry, day: datetime.date) -> str:
    """The status shown for an entry: an idea's as stored, a challenge's on `day`."""
    if entry.object_type != content.CHALLENGE or entry.opens_on is None:
        return entry.status
    return derive_status(
        opens_on=entry.opens_on,
        closes_on=entry.closes_on,
        status_override=entry.status_override,
        day=day,
    )


def _stored_facets(doc: content.SearchDocument) -> Iterator[tuple[str, str]]:
    """(facet, key) rows of a document; a challenge's status is derived, never stored."""
    for facet, keys in doc.facets.items():
        if facet == "status" and doc.type == content.CHALLENGE:
            continue
        for key in keys:
            yield facet, key[:200]


def _sort_for(sort: str, terms: list[str]) -> str:
    """The sort a search uses: relevance unless another known one is asked for, but
    the newest first when there is nothing to rank by (browsing)."""
    if sort not in ORDER:
        sort = "relevance"
    return "newest" if sort == "relevance" and not terms else sort


def _best_checked_after_sql(
    candidates_sql: str, public_join: str, public_where: str, order: str
) -> str:
    """`best` for `_page_count_and_facets_sql`, ranking first and checking publicity
    after (`_conditions`, defence in depth) on the best few only.

    `ranked` is the best COUNT_LIMIT + 1 + PUBLIC_MARGIN of `candidates_sql` (the matches
    that pass the filters, public or not), `best` the best COUNT_LIMIT + 1 of those that
    are public (checked on alias `e` by `public_join` and `public_where`). The order is
    total (it ends with the id), so a public match left out of `ranked` ranks below
    every row in it: `best` is exactly the best public matches when `ranked` holds every
    candidate (fewer rows than its LIMIT) or `best` is full (COUNT_LIMIT + 1 rows).
    Otherwise `_best_sql` must give it (see `_page_count_and_facets`). Parameters: the
    candidates', COUNT_LIMIT + 1 + PUBLIC_MARGIN twice, the public join's and
    condition's, COUNT_LIMIT + 1.

    The outer LIMIT of `ranked` changes no row: it keeps SQLite from merging the top-N
    sort into the CTE's materialization, which built a record of every match before
    the sort could drop it (about a sixth of a common word's search).
    """
    return (
        "ranked AS MATERIALIZED (SELECT * FROM (SELECT id, object_type, object_id, score,"
        f" support_count, published_at FROM ({candidates_sql}) candidates"
        f" ORDER BY {order} LIMIT %s) top_n LIMIT %s),"
        " best AS MATERIALIZED (SELECT e.id, e.score, e.support_count, e.published_at"
        f" FROM ranked e{public_join} WHERE {public_where} ORDER BY {order} LIMIT %s)"
    )


def _best_sql(matches_sql: str, order: str) -> str:
    """`best` for `_page_count_and_facets_sql`: the best COUNT_LIMIT + 1 of `matches_sql`
    (public matches only), checking every match's publicity before ranking it.
    Parameters: the matches', COUNT_LIMIT + 1 twice (the outer LIMIT changes no row:
    see `_best_checked_after_sql`)."""
    return (
        "best AS MATERIALIZED (SELECT * FROM (SELECT id, score, support_count, published_at"
        f" FROM ({matches_sql}) matched ORDER BY {order} LIMIT %s) top_n LIMIT %s)"
    )


def _page_count_and_facets_sql(
    best_sql: str, statuses_sql: str, order: str, *, has_ranked: bool
) -> str:
    """The search statement around `best_sql` (see `_page_count_and_facets`).

    `best` is the best COUNT_LIMIT + 1 public matches: the database ranks every match
    as it reads them and keeps only the best (a top-N sort), instead of holding every
    match to count them and sort them again for the page and the facets. A part column
    tells the rows apart: 0 the page, 1 the count (at most COUNT_LIMIT + 1, and beside
    it how many rows `ranked` holds, when `has_ranked` says `best_sql` has it), 2 the facet
    counts (stored facets, then challenges' statuses as of the day). Facets count the
    best FACET_LIMIT matches (`counted`). The final ORDER BY sorts the few page rows.
    Parameters: `best_sql`'s, FACET_LIMIT, the page's LIMIT and OFFSET, "status", the
    statuses'.
    """
    ranked_count = "(SELECT COUNT(*) FROM ranked)" if has_ranked else "NULL"
    return (
        f"WITH {best_sql},"
        f" counted AS (SELECT id FROM best ORDER BY {order} LIMIT %s)"
        " SELECT 0 AS part, page.id, NULL AS facet, NULL AS key, page.score,"
        " page.support_count, page.published_at FROM ("
        f"SELECT * FROM best ORDER BY {order} LIMIT %s OFFSET %s) page"
        f" UNION ALL SELECT 1, NULL, NULL, NULL, COUNT(*), {ranked_count}, NULL FROM best"
        " UNION ALL SELECT 2, NULL, f.facet, f.key, COUNT(*), NULL, NULL"
        f" FROM {FACET} f JOIN counted ON f.entry_id = counted.id GROUP BY f.facet, f.key"
        " UNION ALL SELECT 2, NULL, %s, s.status_on, COUNT(*), NULL, NULL"
        f" FROM ({statuses_sql}) s JOIN counted ON s.id = counted.id GROUP BY s.status_on"
        f" ORDER BY part, {order}"
    )


@dataclass(frozen=True)
class _MatchQuery:
    """What `DatabaseBackend._matches_sql` hands the engine's full-text SQL: the
    columns to select (with a `{score}` slot), the stems to match, the public join on
    `e` and the conditions (each with its parameters), and how to match and rank."""

    columns: str
    terms: tuple[str, ...]
    join_sql: str
    join_params: tuple
    where_sql: str
    where_params: tuple
    ranked: bool
    any_term: bool
    similar: bool
    common: bool = False


def _pg_common_term_sql(matching: _MatchQuery) -> tuple[str, list]:
    """The matches of one common stem from its ranking rows (`CommonTermRank`), scored
    as `_pg_matches_sql` would score them: read in the relevance order from their
    index, they let the LIMIT of `_best_checked_after_sql` stop at the best few."""
    sql = (
        f"SELECT {matching.columns.format(score='e.score')} FROM (SELECT entry_id AS id,"
        " object_type, object_id, score, support_count, published_at"
        f" FROM {TERM} WHERE stem = %s) e{matching.join_sql} WHERE {matching.where_sql}"
    )
    return sql, [matching.terms[0], *matching.join_params, *matching.where_params]


def _pg_matches_sql(matching: _MatchQuery) -> tuple[str, list]:
    """`DatabaseBackend._matches_sql` on PostgreSQL: the GIN-indexed vectors (or a
    common stem's ranking rows, when `matching.common`)."""
    if matching.common:
        return _pg_common_term_sql(matching)
    vector = "headline" if matching.similar else "document"
    score = TS_RANK.format(vector=vector) if matching.ranked else "0.0"
    # The ranking rows hold every column used here but the texts, so a word in most
    # entries reads a third of what the entry rows would make it read.
    table = ENTRY if matching.similar else RANK
    sql = (
        f"SELECT {matching.columns.format(score=score)}"
        f" FROM {table} e CROSS JOIN to_tsquery('simple', %s) query{matching.join_sql}"
        f" WHERE e.{vector} @@ query AND {matching.where_sql}"
    )
    tsquery = _tsquery(list(matching.terms), any_term=matching.any_term)
    return sql, [tsquery, *matching.join_params, *matching.where_params]


def _fts_matches_sql(matching: _MatchQuery) -> tuple[str, list]:
    """`DatabaseBackend._matches_sql` on SQLite: the FTS5 table."""
    match = (" OR " if matching.any_term else " AND ").join(_fts_phrase(t) for t in matching.terms)
    # A column filter: the unstemmed title column never takes part in a match.
    match = (SIMILAR_COLUMNS if matching.similar else TEXT_COLUMNS) + " : (" + match + ")"
    score = f"-{BM25}" if matching.ranked else "0.0"
    # The ranking rows hold every column used here, in a few bytes a row: the entry
    # rows keep the support and date behind their texts.
    sql = (
        f"SELECT {matching.columns.format(score=score)}"
        f" FROM {FTS} JOIN {RANK} e ON e.id = {FTS}.rowid{matching.join_sql}"
        f" WHERE {FTS} MATCH %s AND {matching.where_sql}"
    )
    return sql, [*matching.join_params, match, *matching.where_params]


def _hit(entry: IndexEntry, score: float | None, terms: set[str], today: datetime.date) -> Hit:
    """A result: the title and a snippet with the words of `terms` marked, the snippet
    from the first of summary, body and comments that mentions them (else the summary)."""
    source = next(
        (f for f in (entry.summary, entry.body, entry.comments) if text.mentions(f, terms)),
        entry.summary,
    )
    return Hit(
        type=entry.object_type,
        pk=entry.object_id,
        title=entry.title,
        title_html=text.highlight(entry.title, terms, length=400),
        url=hit_url(entry.object_type, entry.reference, entry.url),
        snippet=text.highlight(source, terms),
        status=_entry_status(entry, today),
        reference=entry.reference,
        published_at=entry.published_at,
        support_count=entry.support_count,
        comment_count=entry.comment_count,
        score=float(score or 0),
    )


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
                        status="" if d.type == content.CHALLENGE else d.status,
                        opens_on=d.opens_on,
                        closes_on=d.closes_on,
                        status_override=d.status_override,
                        published_at=d.published_at,
                        support_count=d.support_count,
                        comment_count=d.comment_count,
                    )
                    for d in docs
                ]
            )
            IndexFacet.objects.bulk_create(
                [
                    IndexFacet(entry=entry, facet=facet, key=key)
                    for entry, doc in zip(entries, docs, strict=True)
                    for facet, key in _stored_facets(doc)
                ]
            )
            fulltext.write(
                connection,
                [
                    (
                        entry.pk,
                        fulltext.full_text(
                            title=doc.title,
                            summary=doc.summary,
                            tags=doc.facets.get("tag", []),
                            body=doc.body,
                            comments=doc.comments,
                        ),
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
        fulltext.remove(connection, ids)
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
            fulltext.clear(connection)
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
        # Its own transaction: it holds back index writes while it runs, which the long
        # rebuild must not. Until it commits no stem is common (`clear` forgot them):
        # searches rank every match, as exactly, more slowly.
        fulltext.refresh_common_terms(connection)
        return loaded

    def count(self) -> int:
        return IndexEntry.objects.count()

    def stored_documents(self, batch_size: int = 2000) -> Iterator[content.SearchDocument]:
        last = 0
        today = timezone.localdate()
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
                    status=_entry_status(entry, today),
                    published_at=entry.published_at,
                    support_count=entry.support_count,
                    comment_count=entry.comment_count,
                    facets=facets.get(entry.pk, {}),
                    opens_on=entry.opens_on,
                    closes_on=entry.closes_on,
                    status_override=entry.status_override,
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

    def _public_condition(self) -> tuple[str, list]:
        """A WHERE condition on `e` (with `_public_join`): its idea, challenge, project or
        solution is public now."""
        challenges_sql, challenges_params = (
            content.public_challenges().order_by().values("pk").query.sql_with_params()
        )
        projects_sql, projects_params = (
            content.public_projects().order_by().values("pk").query.sql_with_params()
        )
        # solsearch: published solutions only (drafts, reviews and withdrawn never).
        solutions_sql, solutions_params = (
            content.public_solutions().order_by().values("pk").query.sql_with_params()
        )
        sql = (
            "((e.object_type = %s AND public_idea.pk IS NOT NULL)"
            f" OR (e.object_type = %s AND e.object_id IN ({challenges_sql}))"
            f" OR (e.object_type = %s AND e.object_id IN ({projects_sql}))"
            f" OR (e.object_type = %s AND e.object_id IN ({solutions_sql})))"
        )
        params = [
            content.IDEA,
            content.CHALLENGE,
            *challenges_params,
            content.PROJECT,
            *projects_params,
            content.SOLUTION,
            *solutions_params,
        ]
        return sql, params

    def _conditions(
        self,
        filters: dict[str, list[str]],
        types: Iterable[str] = (),
        exclude=None,
        day: datetime.date | None = None,
        *,
        public: bool = True,
    ) -> tuple[str, list]:
        """WHERE conditions on `e` (with `_public_join` when `public`): public now (unless
        not `public`: the caller checks that), and passes `filters` (challenge statuses as
        of `day`, default today)."""
        parts: list[str] = []
        params: list = []
        if public:
            public_sql, params = self._public_condition()
            parts.append(public_sql)
        if types := list(types):
            parts.append(f"e.object_type IN ({', '.join(['%s'] * len(types))})")
            params += types
        if exclude is not None:
            parts.append("NOT (e.object_type = %s AND e.object_id = %s)")
            params += [content.IDEA, exclude]
        for facet, keys in filters.items():
            sql, facet_params = self._facet_condition(facet, keys, day or timezone.localdate())
            parts.append(sql)
            params += facet_params
        return " AND ".join(parts) or "1 = 1", params

    @staticmethod
    def _facet_condition(facet: str, keys: list[str], day: datetime.date) -> tuple[str, list]:
        """Entries with any of these keys of `facet`. Statuses: ideas by their stored
        status, challenges by the status their dates give on `day`."""
        sql = (
            f"e.id IN (SELECT entry_id FROM {FACET}"
            f" WHERE facet = %s AND key IN ({', '.join(['%s'] * len(keys))}))"
        )
        params = [facet, *keys]
        challenge_keys = [key for key in keys if key in ChallengeStatus.values]
        if facet == "status" and challenge_keys:
            challenges_sql, challenges_params = _challenges_with_status_sql(challenge_keys, day)
            sql = f"({sql} OR e.id IN ({challenges_sql}))"
            params += challenges_params
        return sql, params

    def _matches_sql(
        self,
        terms: list[str],
        filters: dict[str, list[str]],
        *,
        ranked: bool,
        any_term: bool = False,
        similar: bool = False,
        types: Iterable[str] = (),
        exclude: int | None = None,
        day: datetime.date | None = None,
        public: bool = True,
        common: bool = False,
    ) -> tuple[str, list]:
        """SQL selecting (id, object_type, object_id, score, published_at, support_count)
        of every entry that is public, matches `terms` (any, without terms) and passes
        `filters`; with `public` False, public or not (the caller checks that).

        The index finds the matches; `score` is their rank when `ranked` (0 otherwise,
        so sorting by date or support costs no scoring). `similar` looks in the title,
        summary and tags only. `common`: `terms` is one stem with ranking rows of its own
        (`_common_term`), ranked from those (PostgreSQL).
        """
        join_sql, join_params = self._public_join() if public else ("", [])
        where_sql, where_params = self._conditions(filters, types, exclude, day, public=public)
        columns = (
            "e.id AS id, e.object_type AS object_type, e.object_id AS object_id,"
            " {score} AS score, e.published_at AS published_at,"
            " e.support_count AS support_count"
        )
        if not terms:
            sql = f"SELECT {columns.format(score='0.0')} FROM {ENTRY} e{join_sql} WHERE {where_sql}"
            return sql, [*join_params, *where_params]
        matching = _MatchQuery(
            columns=columns,
            terms=tuple(terms),
            join_sql=join_sql,
            join_params=tuple(join_params),
            where_sql=where_sql,
            where_params=tuple(where_params),
            ranked=ranked,
            any_term=any_term,
            similar=similar,
            common=common,
        )
        return _pg_matches_sql(matching) if _is_postgres() else _fts_matches_sql(matching)

    def _query_terms(self, query: str) -> list[str]:
        return list(dict.fromkeys(text.terms(query)))[:MAX_TERMS]

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
        words = text.words(query)
        terms = self._query_terms(query)
        if words and not terms:
            # Only stop words: nothing meaningful to look for.
            return SearchResults(query, [], 0, page, page_size, {}, backend=self.name)
        page_rows, total, facet_rows = self._page_count_and_facets(
            terms, filters, _sort_for(sort, terms), page, page_size, today
        )
        return SearchResults(
            query=query,
            hits=self._hits(page_rows, set(terms), today),
            total=total,
            page=page,
            page_size=page_size,
            facets=build_facets(facet_rows, filters),
            facets_cover=_facet_limit() if total > _facet_limit() else 0,
            did_you_mean=self._did_you_mean(words) if total == 0 and words else "",
            backend=self.name,
        )

    def _page_count_and_facets(
        self,
        terms: list[str],
        filters: dict[str, list[str]],
        sort: str,
        page: int,
        page_size: int,
        today: datetime.date,
    ) -> tuple[list[tuple[int, float]], int, list[tuple[str, str, int]]]:
        """The page's (entry id, score) rows, how many match (at most COUNT_LIMIT + 1),
        and the (facet, key, count) rows, from one statement (rarely two, below): the
        matches are found and ranked once, and the best of them give the page, the count
        and the facet counts.

        Ranked by relevance, and when browsing, the statement ranks the matches first
        and checks only that the best few are public (`_best_checked_after_sql`):
        checking every match of a common word (a join to the ideas for each of tens of
        thousands) cost as much as ranking them, and browsing checked every entry. When
        too many of those few were not public (the index had not caught up), a second
        statement ranks the public matches alone (`_best_sql`), so the results are
        always the best public matches. (A statement of its own, not a branch of the
        first: planning both in one doubled the planning time of every search.) Words
        sorted by date or support go to `_best_sql` straight away: with nothing to
        score, the database sorts the matches and looks up their ideas only until it
        has enough (a nested loop under the LIMIT), which ranking first made slower.

        One common stem is ranked from its own ranking rows, already scored and read in
        order (`_pg_common_term_sql`): the same results without scoring every match.
        Should it have stopped being common in between (a refresh removes its rows), that
        statement finds nothing, and the word is ranked as any other."""
        scored = sort == "relevance"
        rows: list[tuple] = []
        if scored or not terms:
            rows = self._ranked_rows(terms, filters, sort, page, page_size, today)
        if not rows:
            matches_sql, matches_params = self._matches_sql(
                terms, filters, ranked=scored, day=today
            )
            rows = self._run_page_count_and_facets(
                _best_sql(matches_sql, ORDER[sort]),
                [*matches_params, base.COUNT_LIMIT + 1, base.COUNT_LIMIT + 1],
                sort, page, page_size, today, has_ranked=False,
            )  # fmt: skip
        page_rows = [(row[1], row[4]) for row in rows if row[0] == 0]
        total = _total(rows)
        facet_rows = [(row[2], row[3], int(row[4])) for row in rows if row[0] == 2]
        return page_rows, total, facet_rows

    def _ranked_rows(
        self,
        terms: list[str],
        filters: dict[str, list[str]],
        sort: str,
        page: int,
        page_size: int,
        today: datetime.date,
    ) -> list[tuple]:
        """`_ranked_first_rows`, from the term's own ranking rows when it has them."""
        if sort == "relevance" and _common_term(terms):
            rows = self._ranked_first_rows(
                terms, filters, sort, page, page_size, today, common=True
            )
            if rows and _total(rows):
                return rows
        return self._ranked_first_rows(terms, filters, sort, page, page_size, today)

    def _ranked_first_rows(
        self,
        terms: list[str],
        filters: dict[str, list[str]],
        sort: str,
        page: int,
        page_size: int,
        today: datetime.date,
        *,
        common: bool = False,
    ) -> list[tuple]:
        """The statement's rows, ranking first and checking publicity on the best few
        (`_best_checked_after_sql`); none when too many of those were not public (then
        `_page_count_and_facets` asks again among the public matches alone). `common`:
        from the one term's ranking rows (see `_matches_sql`)."""
        best, ranked_rows = base.COUNT_LIMIT + 1, base.COUNT_LIMIT + 1 + PUBLIC_MARGIN
        candidates_sql, candidates_params = self._matches_sql(
            terms, filters, ranked=sort == "relevance", day=today, public=False, common=common
        )
        join_sql, join_params = self._public_join()
        public_sql, public_params = self._public_condition()
        rows = self._run_page_count_and_facets(
            _best_checked_after_sql(candidates_sql, join_sql, public_sql, ORDER[sort]),
            [*candidates_params, ranked_rows, ranked_rows, *join_params, *public_params,
             best],
            sort, page, page_size, today, has_ranked=True,
        )  # fmt: skip
        count = next(row for row in rows if row[0] == 1)
        # Fewer than `best` public rows while `ranked` was full: a public match may
        # have been left out of `ranked`.
        return [] if count[4] < best and count[5] == ranked_rows else rows

    def _run_page_count_and_facets(
        self,
        best_sql: str,
        best_params: list,
        sort: str,
        page: int,
        page_size: int,
        today: datetime.date,
        *,
        has_ranked: bool,
    ) -> list[tuple]:
        statuses_sql, statuses_params = _challenge_statuses_sql(today)
        with connection.cursor() as cursor:
            cursor.execute(
                _page_count_and_facets_sql(
                    best_sql, statuses_sql, ORDER[sort], has_ranked=has_ranked
                ),
                [*best_params, _facet_limit(), page_size, (page - 1) * page_size,
                 "status", *statuses_params],
            )  # fmt: skip
            return cursor.fetchall()

    def _hits(
        self, page_rows: list[tuple[int, float]], terms: set[str], today: datetime.date
    ) -> list[Hit]:
        entries = IndexEntry.objects.in_bulk([entry_id for entry_id, _score in page_rows])
        return [
            _hit(entries[entry_id], score, terms, today)
            for entry_id, score in page_rows
            if entry_id in entries
        ]

    # -- "did you mean" --------------------------------------------------------------

    def _did_you_mean(self, words: list[str]) -> str:
        """The query with each unknown word replaced by the closest word in a public title,
        or "" when nothing changes. Bounded: the database offers a few close words per
        word through an index (`_close_words`), and only those are compared."""
        asked = [w for w in dict.fromkeys(words) if w not in text.STOP_WORDS][:8]
        close = self._close_words(asked)
        changed = False
        corrected = []
        for word in words:
            offered = close.get(word, [])
            if word in text.STOP_WORDS or word in offered:
                corrected.append(word)
                continue
            best = difflib.get_close_matches(word, offered, n=1, cutoff=0.75)
            if best:
                corrected.append(best[0])
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else ""

    def _close_words(self, words: list[str]) -> dict[str, list[str]]:
        """For each word, vocabulary words close to it (itself, if known) that a public
        title in the index still has."""
        words = [w for w in words if len(w) in fulltext.WORD_LENGTHS]
        if not words:
            return {}
        found: dict[str, list[str]] = {}
        with connection.cursor() as cursor:
            if _is_postgres():
                return _close_words_pg(cursor, words)
            for asked in words:
                # Same first letter, similar length: a range of the unique index, capped.
                cursor.execute(
                    f"SELECT word FROM {WORD} WHERE word >= %s AND word < %s"
                    " AND length(word) BETWEEN %s AND %s LIMIT %s",
                    [asked[0], chr(ord(asked[0]) + 1), len(asked) - 2, len(asked) + 2,
                     SQLITE_CANDIDATES],
                )  # fmt: skip
                candidates = [row[0] for row in cursor.fetchall()]
                close = difflib.get_close_matches(asked, candidates, n=CLOSE_WORDS, cutoff=0.75)
                for word in close:
                    cursor.execute(
                        f"SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s LIMIT 1",
                        ["{title_plain} : " + _fts_phrase(word)],
                    )
                    if cursor.fetchone():
                        found.setdefault(asked, []).append(word)
                        break  # the closest word a title has is all difflib needs
        return found

    # -- suggestions and similar ideas -----------------------------------------------

    def suggest(
        self, prefix: str, limit: int = 8, *, municipality: str | None = None
    ) -> list[Suggestion]:
        words = text.words((prefix or "")[:100])
        if not words or len("".join(words)) < 2:
            return []
        join_sql, join_params = self._public_join()
        where_sql, where_params = self._conditions(_within(municipality))
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

    def similar_ideas(
        self,
        text: str,
        limit: int = 5,
        *,
        exclude: int | None = None,
        municipality: str | None = None,
    ) -> list:
        """Public ideas sharing the most (and the rarest) stems with `text` in their title,
        summary or tags: any of the telling stems matches, all are ranked, LIMIT keeps
        the best. Stems in many headlines tell nothing about duplicates and would make
        nearly every idea a match to rank, so they are left out (`_telling_terms`); when
        every stem is that common, an idea must have them all."""
        terms = self._query_terms(text or "")
        if not terms:
            return []
        telling = self._telling_terms(terms)
        matches_sql, params = self._matches_sql(
            telling or terms,
            _within(municipality),
            ranked=True,
            any_term=bool(telling),
            similar=True,
            types=[content.IDEA],
            exclude=exclude,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT object_id FROM ({matches_sql}) m ORDER BY {ORDER['relevance']} LIMIT %s",
                [*params, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return self._ideas_in_order(ids)

    # --- solsearch: similar published solutions (issue 16, "connect before building") ---

    def similar_solutions(self, text: str, limit: int = 3) -> list:
        """Like `similar_ideas`, over published solutions of every municipality."""
        terms = self._query_terms(text or "")
        if not terms:
            return []
        telling = self._telling_terms(terms)
        matches_sql, params = self._matches_sql(
            telling or terms,
            {},
            ranked=True,
            any_term=bool(telling),
            similar=True,
            types=[content.SOLUTION],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT object_id FROM ({matches_sql}) m ORDER BY {ORDER['relevance']} LIMIT %s",
                [*params, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return self._solutions_in_order(ids)

    # --- end solsearch ---

    def _telling_terms(self, terms: list[str]) -> list[str]:
        """Those of `terms` not in more than COMMON_SHARE (and COMMON_MIN) of the headlines
        (title, summary and tags)."""
        with connection.cursor() as cursor:
            if _is_postgres():
                common = _common_stems_pg(cursor)
            else:
                common = _common_stems_fts(cursor, terms)
        return [t for t in terms if t not in common]


def _close_words_pg(cursor, words: list[str]) -> dict[str, list[str]]:
    """`DatabaseBackend._close_words` on PostgreSQL: pg_trgm's % (similarity above
    pg_trgm.similarity_threshold, 0.3 unless set) through the trigram GIN index, the
    closest first; then only those that an indexed title has (the vocabulary may hold
    words of documents removed since the last rebuild).

    The second statement names each word (one EXISTS apiece), so the planner knows how
    common it is: a word in a sixth of the titles is found in the first rows read, where
    the index would have listed all 15 000 of them first (3 ms at 100 000 ideas, and
    growing with them)."""
    cursor.execute(
        "SELECT asked.word, close.word FROM unnest(%s::text[]) AS asked(word)"
        " CROSS JOIN LATERAL ("
        f"SELECT w.word FROM {WORD} w WHERE w.word %% asked.word"
        " ORDER BY similarity(w.word, asked.word) DESC, w.word LIMIT %s) close",
        [words, CLOSE_WORDS],
    )
    pairs = cursor.fetchall()
    candidates = sorted({word for _, word in pairs})
    if not candidates:
        return {}
    exists = (
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {ENTRY} e"
        " WHERE e.title_simple @@ plainto_tsquery('simple', %s))"
    )
    cursor.execute(
        " UNION ALL ".join([exists] * len(candidates)),
        [value for word in candidates for value in (word, word)],
    )
    in_titles = {word for (word,) in cursor.fetchall()}
    found: dict[str, list[str]] = {}
    for asked, word in pairs:
        if word in in_titles:
            found.setdefault(asked, []).append(word)
    return found


def _total(rows: list[tuple]) -> int:
    """How many matched, from `_page_count_and_facets_sql`'s rows (its part 1)."""
    return next(int(row[4]) for row in rows if row[0] == 1)


def _common_term(terms: list[str]) -> bool:
    """Whether `terms` is one stem with ranking rows of its own (PostgreSQL)."""
    return len(terms) == 1 and _is_postgres() and terms[0] in _common_stems()


def _common_stems() -> frozenset[str]:
    """The stems with ranking rows of their own, cached until the index changes (a
    refresh bumps its version too)."""

    def read() -> frozenset[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT stem FROM {COMMON}")
            return frozenset(stem for (stem,) in cursor.fetchall())

    return versions.cached(versions.SEARCH, "common-stems", read)


def _within(municipality: str | None) -> dict[str, list[str]]:
    """The filters that keep suggestions and similar ideas to one municipality."""
    return {"municipality": [municipality]} if municipality else {}


def _common_stems_pg(cursor) -> set[str]:
    """PostgreSQL: the common stems from the planner's statistics of the `headline`
    column (its most common lexemes and their frequencies, kept by ANALYZE/autovacuum),
    one cheap lookup; before the first ANALYZE nothing counts as common."""
    cursor.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs,"
        " (SELECT reltuples FROM pg_class WHERE oid = %s::regclass)"
        " FROM pg_stats WHERE tablename = %s AND attname = 'headline'",
        [ENTRY, ENTRY],
    )
    row = cursor.fetchone()
    if not (row and row[0]):
        return set()
    lexemes, shares, documents = row
    # The last three frequencies are statistics of the column, not of a lexeme: zip
    # stops at the shorter list.
    return {
        lexeme
        for lexeme, share in zip(lexemes, shares, strict=False)
        if share > COMMON_SHARE and share * documents > COMMON_MIN
    }


def _common_stems_fts(cursor, terms: list[str]) -> set[str]:
    """SQLite: which of `terms` are common, from the FTS5 vocabulary's document counts."""
    cursor.execute(f"SELECT COUNT(*) FROM {ENTRY}")
    documents = cursor.fetchone()[0] or 1
    cursor.execute(
        "SELECT term, SUM(doc) FROM portal_search_vocab"
        f" WHERE col IN ('title', 'summary') AND term IN ({', '.join(['%s'] * len(terms))})"
        " GROUP BY term",
        terms,
    )
    # A stem in both the title and the summary of one document counts twice: near
    # enough for telling common from rare.
    return {
        term
        for term, count in cursor.fetchall()
        if count > COMMON_MIN and count / documents > COMMON_SHARE
    }
