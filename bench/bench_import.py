"""Bulk import of transaction reports: raw PostgreSQL COPY FROM vs the validated import.

Loads the same 100,000-row CSV both ways into its own database (<DATABASE_URL's name>_bench_tx,
created and dropped here) and prints both times, the ratio (target <= 3x) and the validated
import's peak memory (target < 300 MB), measured as the max RSS of a child process that does
only the import.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_import.py [rows]
"""

import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
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
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "check": checked - started,
                "commit": done - checked,
                "total": done - started,
                "peak_mb": peak_kb / 1024,
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
    print(f"raw COPY FROM:            {raw:7.2f} s")
    print(
        f"validated import:         {figures['total']:7.2f} s"
        f"  (check/preview {figures['check']:.2f} s + commit {figures['commit']:.2f} s)"
    )
    print(f"ratio validated / COPY:   {figures['total'] / raw:7.2f} x   (target <= 3x)")
    print(f"commit alone / COPY:      {figures['commit'] / raw:7.2f} x")
    print(f"peak memory (import):     {figures['peak_mb']:7.1f} MB (target < 300 MB)")
    per_row = 1e6 / ROWS
    print(
        f"per row: COPY {raw * per_row:.1f} us, check {figures['check'] * per_row:.1f} us, "
        f"commit {figures['commit'] * per_row:.1f} us"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
