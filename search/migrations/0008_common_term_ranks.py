"""Ranking rows per common stem (PostgreSQL): a one-word search for a word in most
entries reads its best matches, already scored, in order, instead of scoring them all.

`CommonTerm` lists the stems (`search.fulltext.refresh_common_terms` picks them and
writes their rows; this migration does so once for the existing index), and
`CommonTermRank` holds, per (stem, entry), what a search for the stem alone ranks by.
Triggers on the ranking rows (`IndexRank`) write, update and delete these rows with
them, so every path that changes the index keeps them exact. On SQLite both tables
stay empty and unused.
"""

from django.db import migrations, models

import search.models

RANK = "portal_search_indexrank"
COMMON = "portal_search_commonterm"
TERM = "portal_search_commontermrank"

# The common stems of a ranking row's document.
_STEMS = f"SELECT stem FROM {COMMON} WHERE stem = ANY (tsvector_to_array({{row}}.document))"

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION portal_search_rank_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.document = OLD.document THEN
            -- A vote or an edit that kept the words: the same rows, new support or date.
            UPDATE {TERM} SET object_type = NEW.object_type, object_id = NEW.object_id,
                support_count = NEW.support_count, published_at = NEW.published_at
            WHERE entry_id = NEW.id AND stem IN ({_STEMS.format(row="NEW")});
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM {TERM} WHERE entry_id = OLD.id AND stem IN ({_STEMS.format(row="OLD")});
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            -- As search.backends.database scores a one-word search for the stem.
            INSERT INTO {TERM} (stem, entry_id, object_type, object_id, score,
                support_count, published_at)
            SELECT c.stem, NEW.id, NEW.object_type, NEW.object_id,
                ts_rank_cd('{{0.1, 0.2, 0.5, 1.0}}', NEW.document,
                    to_tsquery('simple', c.stem), 1),
                NEW.support_count, NEW.published_at
            FROM {COMMON} c WHERE c.stem = ANY (tsvector_to_array(NEW.document));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    f"CREATE TRIGGER portal_search_rank_terms_write AFTER INSERT OR DELETE ON {RANK}"
    " FOR EACH ROW EXECUTE FUNCTION portal_search_rank_terms()",
    f"CREATE TRIGGER portal_search_rank_terms_update AFTER UPDATE ON {RANK}"
    " FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION portal_search_rank_terms()",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER portal_search_rank_terms_update ON {RANK}",
    f"DROP TRIGGER portal_search_rank_terms_write ON {RANK}",
    "DROP FUNCTION portal_search_rank_terms()",
]


def forward(apps, schema_editor):
    from search import fulltext

    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)
        fulltext.refresh_common_terms(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0007_sqlite_ranking_rows")]

    operations = [
        migrations.CreateModel(
            name="CommonTerm",
            fields=[
                ("stem", models.CharField(max_length=100, primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name="CommonTermRank",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "stem",
                        "entry_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("stem", models.CharField(max_length=100)),
                ("entry_id", models.BigIntegerField()),
                ("object_type", models.CharField(max_length=20)),
                ("object_id", models.PositiveBigIntegerField()),
                ("score", search.models.RealField()),
                ("support_count", models.PositiveIntegerField(default=0)),
                ("published_at", models.DateTimeField(null=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["stem", "-score", "-support_count", "-published_at", "-entry_id"],
                        name="search_term_by_relevance",
                    )
                ],
            },
        ),
        # Backward: the tables go with the models; the triggers first.
        migrations.RunPython(forward, backward),
    ]
