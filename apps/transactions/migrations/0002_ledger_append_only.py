"""The ledger is append-only: a statement-level guard refuses UPDATE and DELETE on PostgreSQL.

Statement-level (not per row) and only on UPDATE / DELETE, so inserts, including COPY of a bulk
import, pay nothing for it. TRUNCATE (test database flushes) is not affected.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION transactions_ledger_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'the transaction ledger is append-only: write a reversing entry';
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER transactions_ledger_append_only
            BEFORE UPDATE OR DELETE ON transactions_ledgerentry
            FOR EACH STATEMENT EXECUTE FUNCTION transactions_ledger_append_only();
        """
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS transactions_ledger_append_only ON transactions_ledgerentry;"
        "DROP FUNCTION IF EXISTS transactions_ledger_append_only();"
    )


class Migration(migrations.Migration):
    dependencies = [("transactions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
