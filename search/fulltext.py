"""The embedded backend's full-text data: what is stored, and how it is written.

Words are stemmed here, in Python (`search.text`, Snowball Norwegian), and the databases
store and match the stems only, so SQLite and PostgreSQL find exactly the same words:

- SQLite: an FTS5 table (`portal_search_fts`, rowid = IndexEntry.id) with one column per
  part; ranked with `bm25()`.
- PostgreSQL: `tsvector` columns on IndexEntry, built from the stems with the `simple`
  configuration (which only splits and lower-cases: no second stemming, no stop words),
  each with a GIN index; ranked with `ts_rank_cd()`. `document` holds every part, for
  search; `headline` only the title, summary and tags, for similar ideas (duplicates show
  in what an idea is called, not in passing mentions, and the smaller vector means fewer
  rows to look at).

The parts, heaviest first: title (A), summary and tags (B), body (C), comments (D).
Both keep a ranking row per entry (`RANK`, `search.models.IndexRank`: its support and
date, and on PostgreSQL its `document` vector), written here with the full text, so a
search ranks the matches without reading the entry rows and their texts.
The migrations create the structures (only on the database that has them) and fill them
from existing index rows with `write`; the backend writes them with every index update.

On PostgreSQL the commonest stems (`COMMON`, chosen by `refresh_common_terms`) also have
ranking rows per stem (`TERM`, `search.models.CommonTermRank`), already scored, which
triggers on `RANK` keep in step with it (migration 0008): a one-word search for such a
stem reads the best matches in order instead of scoring tens of thousands.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from portal import versions
from search import text

FTS = "portal_search_fts"
ENTRY = "portal_search_indexentry"
RANK = "portal_search_indexrank"
WORD = "portal_search_indexword"
COMMON = "portal_search_commonterm"
TERM = "portal_search_commontermrank"
# ts_rank_cd's weights for D, C, B, A (comments, body, summary and tags, title).
RANK_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"
# A stem in at least this many entries gets ranking rows of its own (`CommonTermRank`):
# scoring ~5 000 matches at search time costs a few milliseconds, scoring 70 000 (a
# common word at 100 000 ideas) more than 100.
COMMON_TERM_MIN = 5000
# Longer "words" are codes or pasted links, never a spelling to suggest.
WORD_LENGTHS = range(3, 101)

# One weighted vector per part, concatenated: ts_rank_cd reads the weights.
_DOCUMENT = (
    "setweight(to_tsvector('simple', v.title), 'A')"
    " || setweight(to_tsvector('simple', v.summary), 'B')"
    " || setweight(to_tsvector('simple', v.body), 'C')"
    " || setweight(to_tsvector('simple', v.comments), 'D')"
)
_HEADLINE = (
    "setweight(to_tsvector('simple', v.title), 'A')"
    " || setweight(to_tsvector('simple', v.summary), 'B')"
)


@dataclass(frozen=True)
class FullText:
    """A document's stems by part (space-separated), and its title's words as written."""

    title: str
    summary: str
    body: str
    comments: str
    title_plain: str


def full_text(
    *, title: str, summary: str, tags: Iterable[str], body: str, comments: str
) -> FullText:
    return FullText(
        title=text.stemmed_text(title),
        # Tags weigh as much as the summary: they say what the idea is about.
        summary=text.stemmed_text("\n".join([summary, *tags])),
        body=text.stemmed_text(body),
        comments=text.stemmed_text(comments),
        title_plain=" ".join(text.words(title)),
    )


def write(connection, rows: Sequence[tuple[int, FullText]], *, ranks: bool = True) -> None:
    """Store the full text of these index entries (by IndexEntry id), replacing any.
    `ranks`: also their ranking rows (False only in migrations before they existed)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _write_vectors(cursor, rows, ranks=ranks)
        else:
            _write_fts(cursor, rows, ranks=ranks)
    remember_words(connection, [full.title_plain for _, full in rows])


def _write_vectors(cursor, rows: Sequence[tuple[int, FullText]], *, ranks: bool) -> None:
    """PostgreSQL: the entries' tsvector columns and their ranking rows (RANK), in one
    statement per batch (arrays, unnested into rows on the server)."""
    update = (
        f"UPDATE {ENTRY} e SET document = {_DOCUMENT}, headline = {_HEADLINE}"
        " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])"
        " AS v(id, title, summary, body, comments) WHERE e.id = v.id"
    )
    if ranks:
        update = (
            f"WITH updated AS ({update} RETURNING e.id, e.object_type, e.object_id,"
            " e.document, e.support_count, e.published_at)"
            f" INSERT INTO {RANK} (id, object_type, object_id, document, support_count,"
            " published_at) SELECT * FROM updated ON CONFLICT (id) DO UPDATE SET"
            " object_type = excluded.object_type, object_id = excluded.object_id,"
            " document = excluded.document, support_count = excluded.support_count,"
            " published_at = excluded.published_at"
        )
    cursor.execute(
        update,
        [
            [entry_id for entry_id, _ in rows],
            [full.title for _, full in rows],
            [full.summary for _, full in rows],
            [full.body for _, full in rows],
            [full.comments for _, full in rows],
        ],
    )


def _write_fts(cursor, rows: Sequence[tuple[int, FullText]], *, ranks: bool) -> None:
    """SQLite: the FTS5 table's rows, and the entries' ranking rows (RANK) copied from
    the entry rows in one statement. A flush (TransactionTestCase, `manage.py flush`)
    empties the entry table but not the FTS table, and ids may then be reused: replace,
    never add. (A ranking row goes with its entry: its foreign key cascades.)"""
    cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", [(i,) for i, _ in rows])
    cursor.executemany(
        f"INSERT INTO {FTS}(rowid, title, summary, body, comments, title_plain)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        [
            (i, full.title, full.summary, full.body, full.comments, full.title_plain)
            for i, full in rows
        ],
    )
    if ranks:
        cursor.execute(
            f"INSERT OR REPLACE INTO {RANK} (id, object_type, object_id, support_count,"
            f" published_at) SELECT id, object_type, object_id, support_count, published_at"
            f" FROM {ENTRY} WHERE id IN (SELECT value FROM json_each(%s))",
            [json.dumps([i for i, _ in rows])],
        )


def remember_words(connection, titles: Iterable[str]) -> None:
    """Add the words of these titles (as `FullText.title_plain`) to the vocabulary."""
    words = sorted(
        {
            word
            for title in titles
            for word in title.split()
            if len(word) in WORD_LENGTHS and not word.isdigit()
        }
    )
    if not words:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {WORD} (word) SELECT unnest(%s::text[])"
                " ON CONFLICT (word) DO NOTHING",
                [words],
            )
        else:
            cursor.executemany(
                f"INSERT OR IGNORE INTO {WORD} (word) VALUES (%s)", [(w,) for w in words]
            )


def remove(connection, entry_ids: Sequence[int]) -> None:
    """Forget the full text of entries about to be deleted. (PostgreSQL keeps it in the
    entry rows themselves, so it goes with them; the ranking rows go with their entries
    on both, by their foreign key.)"""
    if entry_ids and connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", [(i,) for i in entry_ids])


def clear(connection) -> None:
    """Forget all full text, every word and the common stems (a rebuild writes them
    again: the stems last, by `refresh_common_terms`, in bulk rather than entry by entry
    as the triggers would while the entries are written)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Stems first: the entries' triggers then have no rows of theirs to delete.
            cursor.execute(f"DELETE FROM {TERM}")
            cursor.execute(f"DELETE FROM {COMMON}")
        else:
            cursor.execute(f"DELETE FROM {FTS}")
        cursor.execute(f"DELETE FROM {WORD}")


@dataclass(frozen=True)
class CommonTerms:
    """What `refresh_common_terms` changed: the stems now common, those added, removed."""

    stems: frozenset[str]
    added: frozenset[str]
    removed: frozenset[str]


def refresh_common_terms(connection, minimum: int | None = None) -> CommonTerms:
    """Make the stems in at least `minimum` (COMMON_TERM_MIN) entries the common ones,
    with their ranking rows (PostgreSQL; nothing elsewhere).

    Which stems are common only decides how fast a search is, never what it finds, so
    this runs when convenient: after a rebuild, from the nightly reconcile. It holds
    back index writes while it runs (a write in between could miss a new stem's rows;
    a second refresh waits too), and takes seconds at 100 000 ideas.
    """
    if connection.vendor != "postgresql":
        return CommonTerms(frozenset(), frozenset(), frozenset())
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {RANK} IN SHARE ROW EXCLUSIVE MODE")
        # Only stems that to_tsquery reads back as themselves: a search finds exactly
        # the entries holding its stem, so their rows are exactly its matches.
        cursor.execute(
            f"SELECT word FROM ts_stat('SELECT document FROM {RANK}') WHERE ndoc >= %s"
            " AND to_tsquery('simple', word)::text = quote_literal(word)",
            [COMMON_TERM_MIN if minimum is None else minimum],
        )
        wanted = frozenset(word for (word,) in cursor.fetchall())
        cursor.execute(f"SELECT stem FROM {COMMON}")
        current = frozenset(stem for (stem,) in cursor.fetchall())
        added, removed = wanted - current, current - wanted
        if removed:
            cursor.execute(f"DELETE FROM {TERM} WHERE stem = ANY(%s)", [sorted(removed)])
            cursor.execute(f"DELETE FROM {COMMON} WHERE stem = ANY(%s)", [sorted(removed)])
        if added:
            cursor.execute(
                f"INSERT INTO {COMMON} (stem) SELECT unnest(%s::text[])", [sorted(added)]
            )
            # What the triggers write for one entry, for every entry at once.
            cursor.execute(
                f"INSERT INTO {TERM} (stem, entry_id, object_type, object_id, score,"
                " support_count, published_at)"
                " SELECT l.stem, r.id, r.object_type, r.object_id,"
                f" ts_rank_cd('{RANK_WEIGHTS}', r.document, to_tsquery('simple', l.stem), 1),"
                " r.support_count, r.published_at"
                f" FROM {RANK} r CROSS JOIN unnest(tsvector_to_array(r.document)) AS l(stem)"
                " WHERE l.stem = ANY(%s)",
                [sorted(added)],
            )
    if added or removed:
        versions.bump(versions.SEARCH)  # searches cache which stems are common
    return CommonTerms(wanted, added, removed)


def populate(connection, batch_size: int = 2000, *, ranks: bool = True) -> None:
    """Write the full text of every existing index entry from its stored fields (for
    the migrations: they change what is stored without a rebuild)."""
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, title, summary, body, comments FROM {ENTRY}"
                " WHERE id > %s ORDER BY id LIMIT %s",
                [last, batch_size],
            )
            entries = cursor.fetchall()
            if not entries:
                return
            last = entries[-1][0]
            cursor.execute(
                "SELECT entry_id, key FROM portal_search_indexfacet"
                " WHERE facet = 'tag' AND entry_id >= %s AND entry_id <= %s",
                [entries[0][0], last],
            )
            tags: dict[int, list[str]] = {}
            for entry_id, key in cursor.fetchall():
                tags.setdefault(entry_id, []).append(key)
            write(
                connection,
                [
                    (
                        entry_id,
                        full_text(
                            title=title,
                            summary=summary,
                            tags=sorted(tags.get(entry_id, [])),
                            body=body,
                            comments=comments,
                        ),
                    )
                    for entry_id, title, summary, body, comments in entries
                ],
                ranks=ranks,
            )
