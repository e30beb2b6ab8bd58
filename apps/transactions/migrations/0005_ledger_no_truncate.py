"""The ledger refuses TRUNCATE too (PostgreSQL), as the audit trail does.

0002 guards UPDATE and DELETE; a TRUNCATE (of the ledger, or of a table whose CASCADE reaches
it) would empty the ledger without a trace and leave every licence balance unexplained. A
statement-level BEFORE TRUNCATE trigger refuses it, except in a session that sets the test
harness's flag (`raretrack.audit_allow_truncate = on`, config/settings/test.py): the harness
empties every table between transactional tests. Inserts, COPY included, still pay nothing.
"""

from django.db import migrations

from apps.audit.sql import TRUNCATE_FLAG

INSTALL = f"""
CREATE OR REPLACE FUNCTION transactions_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('{TRUNCATE_FLAG}', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the transaction ledger is append-only (' || TG_OP || ' refused): '
            || 'write a reversing entry',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS transactions_ledger_no_truncate ON transactions_ledgerentry;
CREATE TRIGGER transactions_ledger_no_truncate
    BEFORE TRUNCATE ON transactions_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_ledger_append_only();
"""

# Back to 0002's function (UPDATE / DELETE only), without the TRUNCATE trigger.
REMOVE = """
DROP TRIGGER IF EXISTS transactions_ledger_no_truncate ON transactions_ledgerentry;
CREATE OR REPLACE FUNCTION transactions_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the transaction ledger is append-only: write a reversing entry';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(INSTALL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REMOVE)


class Migration(migrations.Migration):
    dependencies = [("transactions", "0004_report_organisation_index_redundant")]
    operations = [migrations.RunPython(forwards, backwards)]
