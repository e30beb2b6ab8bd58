"""pg_trgm and GIN trigram indexes for candidate search (PostgreSQL only).

The embedded SQLite default has neither; there screening falls back to a plain LIKE filter
(apps/clients/screening.py), so these operations do nothing on other databases.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    (
        "clients_term_value_trgm",
        "clients_listentryterm",
        "value gin_trgm_ops",
        "WHERE kind = 'name'",
    ),
    (
        "clients_term_compact_trgm",
        "clients_listentryterm",
        "compact gin_trgm_ops",
        "WHERE kind = 'name'",
    ),
    ("clients_entity_name_trgm", "clients_cliententity", "name_norm gin_trgm_ops", ""),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column, where in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column}) {where}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column, _where in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
