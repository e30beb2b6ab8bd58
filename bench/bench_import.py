"""Bulk import of transaction reports: PostgreSQL COPY FROM vs the validated import.

Loads the same 100,000 rows into its own database (<DATABASE_URL's name>_bench_tx, created and
dropped here) three ways and prints the times and ratios side by side:

- COPY FROM of the CSV file into a plain table of the file's columns (no keys, no indexes,
  no constraints): the floor of reading the bytes into PostgreSQL.
- COPY FROM of the same rows as they are stored (ids resolved) into the transaction tables
  (reports and their lines) with their indexes, checks and foreign keys, the deferred
  foreign-key checks included (`SET CONSTRAINTS ALL IMMEDIATE`, then rolled back): what storing
  these rows costs whoever writes them. This is the baseline of the target (<= 3x): the
  validated import stores the same rows in the same tables, so it pays this too.
- the validated import: upload, check (the preview every user sees), commit; its peak memory
  (target < 300 MB) is the peak RSS (VmHWM) of a child process that does only the import.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_import.py [rows]
"""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.memory import peak_rss_mb  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100_000


def bench_url() -> tuple[str, str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/raretrack")
    parts = urlsplit(base)
    name = parts.path.lstrip("/") + "_bench_tx"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return urlunsplit(parts._replace(path="/" + name)), admin, name


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def child(path: str, user_id: int) -> None:
    """The validated import alone: upload, check (the preview), commit."""
    setup_django(os.environ["DATABASE_URL"])  # the parent passes the bench database
    from django.conf import settings

    from apps.accounts.models import User
    from apps.transactions import services

    settings.TRANSACTIONS_IMPORT_SYNC_MAX_ROWS = 10**9  # in-process: measure the work itself
    user = User.objects.select_related("membership__organisation").get(pk=user_id)
    started = time.perf_counter()  # reading the file is part of the import, as COPY's is
    content = Path(path).read_bytes()
    batch = services.import_upload(actor=user, content=content, filename="bench.csv")
    batch = services.import_check(batch.pk)
    checked = time.perf_counter()
    assert batch.status == "valid", batch.errors[:3]
    batch = services.import_commit(actor=user, batch=batch)
    done = time.perf_counter()
    assert batch.status == "committed"
    print(
        json.dumps(
            {
                "check": checked - started,
                "commit": done - checked,
                "total": done - started,
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def main() -> None:
    import psycopg

    url, admin, name = bench_url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run(url)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str) -> None:
    setup_django(url)
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from apps.transactions import importing
    from apps.transactions.demo import demo_client, entry_for, make_licence
    from tests.factories import OrganisationFactory, make_producer

    call_command("migrate", verbosity=0)
    company = OrganisationFactory(legal_name="Bench Magnetics Co., Ltd.")
    user = make_producer(company, email="bench@bench.test")
    buyer = demo_client(company, user, "Rheinland Motoren GmbH", "DE", "automotive")
    licence = make_licence(
        organisation=company,
        user=user,
        end_user=buyer,
        entry=entry_for("1C905.a", "metal"),
        quantity=Decimal("100000000"),
    )
    today = timezone.localdate()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(importing.COLUMNS)
        for i in range(ROWS):
            loading = today - dt.timedelta(days=1 + i % 25)
            writer.writerow(
                [
                    f"B-{i}",
                    licence.number,
                    buyer.legal_name,
                    buyer.legal_name,
                    buyer.legal_name,
                    "CIF",
                    str(loading - dt.timedelta(days=20)),
                    str(loading),
                    str(loading),
                    str(loading + dt.timedelta(days=30)),
                    "Ganzhou",
                    "DE",
                    "Shanghai",
                    f"2201{loading.year}0{i + 1:09d}",
                    "1C905.a",
                    "metal",
                    "2805301200",
                    f"{1 + i % 50}.{i % 1000:03d}",
                    "kg",
                    "350.00",
                    "USD",
                ]
            )
        path = handle.name
    size_mb = os.path.getsize(path) / 1e6
    print(f"{ROWS:,} rows, {size_mb:.1f} MB CSV")

    def sql_type(column: str) -> str:
        if column.endswith("_date"):
            return "date"
        return "numeric" if column in ("quantity", "value") else "text"

    columns = ", ".join(f"{c} {sql_type(c)}" for c in importing.COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_raw ({columns})")
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        open(path, "rb") as source,
        cursor.copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
    ):
        while chunk := source.read(1 << 20):
            copy.write(chunk)
    raw = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_raw")
        assert cursor.fetchone()[0] == ROWS
        cursor.execute("DROP TABLE bench_raw")
    stored = copy_stored(connection, path, licence, buyer, user)
    connection.close()

    result = subprocess.run(  # noqa: S603 - this very script, with our own arguments
        [sys.executable, __file__, "--child", path, str(user.pk)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DATABASE_URL": url},
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    os.unlink(path)
    total = figures["total"]
    print(f"{'':34}{'seconds':>9}{'vs stored':>11}{'vs plain':>10}")
    for label, seconds in (
        ("COPY FROM, plain table", raw),
        ("COPY FROM, transaction tables", stored),
        ("validated import", total),
        ("  check (the preview)", figures["check"]),
        ("  commit", figures["commit"]),
    ):
        print(f"{label:34}{seconds:9.2f}{seconds / stored:10.2f}x{seconds / raw:9.2f}x")
    verdict = "ok" if total <= 3 * stored else "OVER"
    print(f"validated import / stored COPY: {total / stored:.2f}x (target <= 3x: {verdict})")
    peak = figures["peak_mb"]
    verdict = "ok" if peak < 300 else "OVER"
    print(f"peak memory (import): {peak:.1f} MB (target < 300 MB: {verdict})")
    per_row = 1e6 / ROWS
    print(
        f"per row: plain COPY {raw * per_row:.1f} us, stored COPY {stored * per_row:.1f} us, "
        f"check {figures['check'] * per_row:.1f} us, commit {figures['commit'] * per_row:.1f} us"
    )


def copy_stored(connection, path, licence, buyer, user) -> float:
    """COPY the file's rows, resolved to ids as they are stored, into the transaction tables.

    Resolving (not timed) maps the names to the ids this bench created; the COPY, the indexes,
    the checks and the deferred foreign-key checks are timed; everything is then rolled back
    and the tables vacuumed, so the validated import starts from the same empty tables.
    """
    from django.db import transaction
    from django.utils import timezone

    from apps.transactions.models import ImportBatch, TransactionLine, TransactionReport
    from apps.transactions.services.imports import LINE_COLUMNS, REPORT_COLUMNS

    line = licence.lines.get()
    # Imported rows point to their import (one more foreign key), so these do too.
    batch = ImportBatch.objects.create(
        organisation_id=licence.organisation_id,
        uploaded_by=user,
        filename="baseline.csv",
        file_format="csv",
        sha256="0" * 64,
        size=0,
        row_count=0,
        status=ImportBatch.Status.DISCARDED,
    )
    report_table = TransactionReport._meta.db_table
    line_table = TransactionLine._meta.db_table
    now = timezone.now().isoformat()
    with open(path, newline="") as source:
        rows = list(csv.DictReader(source))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [report_table, len(rows)],
        )
        ids = [r[0] for r in cursor.fetchall()]
        reports, lines = [], []
        for report_id, row in zip(ids, rows, strict=True):
            fields = {
                "id": report_id,
                "organisation_id": licence.organisation_id,
                "reference": row["reference"],
                "licence_id": licence.pk,
                "status": "accepted",
                "source": "upload",
                "purchaser_id": buyer.pk,
                "consignee_id": buyer.pk,
                "end_user_id": buyer.pk,
                "incoterm": row["incoterm"],
                "contract_date": row["contract_date"],
                "loading_date": row["loading_date"],
                "departure_date": row["departure_date"],
                "arrival_date": row["arrival_date"],
                "origin": row["origin"],
                "destination_country": row["destination_country"],
                "port_of_clearance": row["port_of_clearance"],
                "customs_declaration_number": row["customs_declaration_number"],
                "total_kg": row["quantity"],
                "screening_flag": "f",
                "screening_hits": "[]",
                "filed_by_id": user.pk,
                "filed_at": now,
                "import_batch_id": batch.pk,
                "cancel_reason": "",
            }
            reports.append("\t".join(str(fields[c]) for c in REPORT_COLUMNS) + "\n")
            fields = {
                "id": report_id,
                "report_id": report_id,
                "position": 1,
                "catalogue_entry_id": line.catalogue_entry_id,
                "form": row["form"],
                "hs_code": row["hs_code"],
                "quantity": row["quantity"],
                "unit": row["unit"],
                "quantity_kg": row["quantity"],
                "licence_line_id": line.pk,
                "quantity_licence_unit": row["quantity"],
                "value": row["value"],
                "currency": row["currency"],
            }
            lines.append("\t".join(str(fields[c]) for c in LINE_COLUMNS) + "\n")
        del rows
        started = time.perf_counter()
        for table, columns, data in (
            (report_table, REPORT_COLUMNS, reports),
            (line_table, LINE_COLUMNS, lines),
        ):
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for chunk in range(0, len(data), 5000):
                    copy.write("".join(data[chunk : chunk + 5000]))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks a commit would run
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {report_table}, {line_table}")
    return elapsed


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
