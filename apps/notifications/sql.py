"""`INSERT ... ON CONFLICT DO NOTHING RETURNING`: claim rows and learn which ones were ours.

Django's `bulk_create(ignore_conflicts=True)` does not say which rows it inserted; a claim needs
exactly that. PostgreSQL and SQLite (3.35+) both speak this statement.
"""

from collections.abc import Sequence

from django.db import connection, models


def insert_ignore_returning(
    model: type[models.Model], rows: Sequence[dict], returning: Sequence[str]
) -> list[tuple]:
    """Insert `rows` (field name -> value); conflicting rows are skipped. Returns the new rows."""
    if not rows:
        return []
    fields = [model._meta.get_field(name) for name in rows[0]]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list = []
    for row in rows:
        params.extend(f.get_db_prep_save(row[f.name], connection) for f in fields)
    back = ", ".join(qn(model._meta.get_field(name).column) for name in returning)
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "  # noqa: S608 # nosec - model names
        f"VALUES {', '.join([placeholder] * len(rows))} "
        f"ON CONFLICT DO NOTHING RETURNING {back}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
