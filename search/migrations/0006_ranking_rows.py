"""Ranking rows: what ranking a match needs, apart from the texts (PostgreSQL).

A common word matches most entries, and ranking them all read the whole entry table.
`IndexRank` holds, per entry, only its vector, support and date; on PostgreSQL this
adds the `document` vector with its GIN index and a foreign key that deletes a row
with its entry, and fills the rows from the entries. Nothing needs a rebuild. On
SQLite the table stays empty (its FTS5 table keeps the texts apart already).
"""

from django.db import migrations, models

ENTRY = "portal_search_indexentry"
RANK = "portal_search_indexrank"

POSTGRES_FORWARD = [
    f"ALTER TABLE {RANK} ADD COLUMN document tsvector NOT NULL DEFAULT ''::tsvector",
    f"ALTER TABLE {RANK} ADD CONSTRAINT portal_search_rank_entry FOREIGN KEY (id)"
    f" REFERENCES {ENTRY} (id) ON DELETE CASCADE",
    f"INSERT INTO {RANK} (id, object_type, object_id, document, support_count, published_at)"
    f" SELECT id, object_type, object_id, document, support_count, published_at FROM {ENTRY}",
    # After the data is in: one build instead of an update per row.
    f"CREATE INDEX portal_search_rank_document_gin ON {RANK} USING GIN (document)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0005_challenge_status_dates")]

    operations = [
        migrations.CreateModel(
            name="IndexRank",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("object_type", models.CharField(max_length=20)),
                ("object_id", models.PositiveBigIntegerField()),
                ("support_count", models.PositiveIntegerField(default=0)),
                ("published_at", models.DateTimeField(null=True)),
            ],
        ),
        # Backward: the table goes with the model (its column, key and index with it).
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
