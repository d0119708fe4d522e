"""Ranking rows on SQLite too: a common word's matches are ranked without reading the
entry rows, behind their texts, for each match's support and date.

0006 created `IndexRank` on both databases but filled it on PostgreSQL only. On SQLite
the (empty) table is created again with its id as the rowid (`integer`, see
`search.models.RowidField`) and a foreign key that deletes a row with its entry (as
0006 added on PostgreSQL; Django cannot declare one), then filled from the entries.
Nothing needs a rebuild. PostgreSQL is unchanged: its id stays a `bigint`.
"""

from django.db import migrations

import search.models

ENTRY = "portal_search_indexentry"
RANK = "portal_search_indexrank"
COLUMNS = (
    '"object_type" varchar(20) NOT NULL,'
    ' "object_id" bigint unsigned NOT NULL CHECK ("object_id" >= 0),'
    ' "support_count" integer unsigned NOT NULL CHECK ("support_count" >= 0),'
    ' "published_at" datetime NULL'
)
SQLITE_FORWARD = [
    f"DROP TABLE {RANK}",
    f'CREATE TABLE "{RANK}" ("id" integer NOT NULL PRIMARY KEY'
    f' REFERENCES "{ENTRY}" ("id") ON DELETE CASCADE, {COLUMNS})',
    f"INSERT INTO {RANK} (id, object_type, object_id, support_count, published_at)"
    f" SELECT id, object_type, object_id, support_count, published_at FROM {ENTRY}",
]
# As 0006 left it on SQLite: empty, unused.
SQLITE_BACKWARD = [
    f"DROP TABLE {RANK}",
    f'CREATE TABLE "{RANK}" ("id" bigint NOT NULL PRIMARY KEY, {COLUMNS})',
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0006_ranking_rows")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="indexrank",
                    name="id",
                    field=search.models.RowidField(primary_key=True, serialize=False),
                ),
            ],
            database_operations=[
                migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD)),
            ],
        )
    ]
