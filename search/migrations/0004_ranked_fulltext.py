"""Full text stemmed by us on both databases, ranked in the index; a vocabulary for
"did you mean".

PostgreSQL: the generated `document` column (stemmed by PostgreSQL's `norwegian`
configuration) becomes a plain `tsvector` written by the backend from our own stems
(`search.fulltext`), and a second one, `headline`, joins it for similar ideas; both get
GIN indexes. `pg_trgm` (a trusted extension since PostgreSQL 13, so the database's owner
may create it without being a superuser) indexes the vocabulary by trigrams.
SQLite: the FTS5 table is rewritten, its summary column now carrying the tags too.
Both: the vocabulary is filled from the indexed titles. Nothing needs a rebuild.
"""

from django.db import migrations, models

ENTRY = "portal_search_indexentry"

POSTGRES_BEFORE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP INDEX IF EXISTS portal_search_document_gin",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS document",
    f"ALTER TABLE {ENTRY} ADD COLUMN document tsvector NOT NULL DEFAULT ''::tsvector",
    f"ALTER TABLE {ENTRY} ADD COLUMN headline tsvector NOT NULL DEFAULT ''::tsvector",
]
# Indexes after the data is in: one build instead of an update per row.
POSTGRES_AFTER = [
    f"CREATE INDEX portal_search_document_gin ON {ENTRY} USING GIN (document)",
    f"CREATE INDEX portal_search_headline_gin ON {ENTRY} USING GIN (headline)",
    "CREATE INDEX portal_search_word_trgm ON portal_search_indexword"
    " USING GIN (word gin_trgm_ops)",
]
# Back to 0002's generated column. The extension stays: something else may use it by
# now, and it is harmless.
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_search_word_trgm",
    "DROP INDEX IF EXISTS portal_search_headline_gin",
    "DROP INDEX IF EXISTS portal_search_document_gin",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS headline",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS document",
    f"ALTER TABLE {ENTRY} ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('norwegian', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('norwegian', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('norwegian', coalesce(body, '')), 'C') || "
    "setweight(to_tsvector('norwegian', coalesce(comments, '')), 'D')) STORED",
    f"CREATE INDEX portal_search_document_gin ON {ENTRY} USING GIN (document)",
]


def forward(apps, schema_editor):
    from search import fulltext

    connection = schema_editor.connection
    # The ranking rows come later (0006 on PostgreSQL, 0007 on SQLite).
    if connection.vendor == "postgresql":
        for statement in POSTGRES_BEFORE:
            schema_editor.execute(statement)
        fulltext.populate(connection, ranks=False)
        for statement in POSTGRES_AFTER:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        fulltext.populate(connection, ranks=False)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0003_ordering_indexes")]

    operations = [
        migrations.CreateModel(
            name="IndexWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True)),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
