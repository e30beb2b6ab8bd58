"""Print (or apply) the SQL that gives the portal an owner role and an append-only app role."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from apps.audit import sql


class Command(BaseCommand):
    help = (
        "Create the owner role (runs migrations, owns the tables) and the application role "
        "(runs the portal: may only SELECT and INSERT on the audit trail). Prints the SQL; "
        "--apply runs it as the current (superuser) connection."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="raretrack_owner")
        parser.add_argument("--app", default="raretrack_app")
        parser.add_argument("--apply", action="store_true", help="Run the statements now.")

    def handle(self, *args, owner: str, app: str, apply: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only (SQLite has none).")
        statements = self.statements(owner=owner, app=app)
        if not apply:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(self.style.SUCCESS(f"Roles {owner} (owner) and {app} (app) ready."))

    @staticmethod
    def statements(*, owner: str, app: str) -> list[str]:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            # Sequences that belong to a table (identity, serial) follow the table's owner.
            cursor.execute(
                "SELECT c.relname FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = 'public' AND NOT EXISTS ("
                "  SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')"
                ") ORDER BY c.relname"
            )
            sequences = [row[0] for row in cursor.fetchall()]
        return sql.role_statements(
            owner=owner,
            app=app,
            database=connection.settings_dict["NAME"],
            tables=tables,
            sequences=sequences,
        )
