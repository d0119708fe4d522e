"""Engine-specific full-text structures for the embedded backend.

SQLite: an FTS5 table whose rowid is IndexEntry.id, plus an fts5vocab view of it for
"did you mean". PostgreSQL: generated tsvector columns (norwegian configuration, weighted
title A > summary B > body C > comments D; 'simple' titles for prefix suggestions) with
GIN indexes. Other databases get nothing and cannot run the embedded backend.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS portal_search_fts USING fts5("
    "title, summary, body, comments, title_plain, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS portal_search_vocab USING fts5vocab("
    "portal_search_fts, 'col')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS portal_search_vocab",
    "DROP TABLE IF EXISTS portal_search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE portal_search_indexentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('norwegian', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('norwegian', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('norwegian', coalesce(body, '')), 'C') || "
    "setweight(to_tsvector('norwegian', coalesce(comments, '')), 'D')) STORED",
    "ALTER TABLE portal_search_indexentry ADD COLUMN title_simple tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple', coalesce(title, ''))) STORED",
    "CREATE INDEX portal_search_document_gin ON portal_search_indexentry USING GIN (document)",
    "CREATE INDEX portal_search_title_gin ON portal_search_indexentry USING GIN (title_simple)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_search_title_gin",
    "DROP INDEX IF EXISTS portal_search_document_gin",
    "ALTER TABLE portal_search_indexentry DROP COLUMN IF EXISTS title_simple",
    "ALTER TABLE portal_search_indexentry DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
