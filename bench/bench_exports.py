"""Auditor exports on 1,000,000 transaction-like rows: psql \\copy vs our CSV and JSON Lines.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_exports.py

The transactions app does not exist yet, so the benchmark creates its own table shaped like a
transaction report (licence, producer, client, end user, element, control and HS codes,
quantity, value, currency, incoterm, dates, port, customs declaration, status) in its own
database (BENCH_DATABASE_URL, default: the DATABASE_URL server with database rt_bench_audit),
registers it as an export dataset exactly as an app would, and drops the database at the end
(--keep keeps it for a second run). Each export runs in a fresh subprocess, so the peak memory
printed (ru_maxrss) is the whole process's, Django included; each is run 3 times, best kept.

Targets (issue 7): CSV within 1.5x of psql COPY, JSON Lines within 2x, peak memory < 150 MB.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
REPEAT = 3
TABLE = "bench_transaction_report"
PSQL_LABEL = "psql \\copy ... to csv"


def bench_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    return urlunsplit(base._replace(path="/rt_bench_audit"))


def _admin_connect(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def create_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(
            f"""
            CREATE TABLE {TABLE} AS
            SELECT g AS id,
              timestamptz '2026-01-01 00:00+08' + (g || ' seconds')::interval AS reported_at,
              'LIC-2026-' || lpad((g % 4000)::text, 6, '0') AS licence_number,
              (g % 50) + 1 AS producer_id,
              'Ganzhou Rare Earth Magnetics ' || (g % 50) AS producer_name,
              'Automotive Components GmbH ' || (g % 997) AS client_name,
              CASE WHEN g % 1000 = 0 THEN '=HYPERLINK("http://x")'
                   ELSE 'End user ' || (g % 313) || ', Stuttgart' END AS end_user,
              (ARRAY['DE','JP','KR','US','FR','NL'])[1 + g % 6] AS destination,
              (ARRAY['Sm','Gd','Tb','Dy','Lu','Sc','Y'])[1 + g % 7] AS element,
              '1C90' || (2 + g % 7) || '.a' AS control_code,
              '2805301910' AS hs_code,
              ((g % 1000) + 0.125)::numeric(18,3) AS quantity_kg,
              ((g % 1000) * 53.5)::numeric(18,2) AS value,
              'USD' AS currency,
              (ARRAY['FOB','CIF','EXW','DAP'])[1 + g % 4] AS incoterm,
              date '2026-01-01' + (g % 300) AS contract_date,
              date '2026-01-15' + (g % 300) AS loading_date,
              'Tianjin Xingang' AS port,
              '0202' || '2026' || '1' || lpad(g::text, 9, '0') AS customs_declaration,
              'reported' AS status
            FROM generate_series(1, {ROWS}) g
            """  # noqa: S608 - constants of this script only
        )
        conn.execute(f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id)")
        conn.execute(f"VACUUM ANALYZE {TABLE}")


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def psql_copy(url: str, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - psql with our own arguments
        ["psql", url, "-qc", f"\\copy {TABLE} to '{target}' with (format csv, header)"],  # noqa: S607
        check=True,
    )
    return time.perf_counter() - started


def child(fmt: str, target: str) -> None:
    """Runs in a subprocess: register the table as a dataset and export it like the portal."""
    import django

    django.setup()
    from django.db import models

    from apps.audit import writers
    from apps.audit.datasets.registry import Column, Dataset, register

    class BenchTransactionReport(models.Model):
        reported_at = models.DateTimeField()

        class Meta:
            app_label = "audit"
            managed = False
            db_table = TABLE

        def __str__(self) -> str:
            return str(self.pk)

    for name, field in [
        ("licence_number", models.TextField()),
        ("producer_id", models.IntegerField()),
        ("producer_name", models.TextField()),
        ("client_name", models.TextField()),
        ("end_user", models.TextField()),
        ("destination", models.TextField()),
        ("element", models.TextField()),
        ("control_code", models.TextField()),
        ("hs_code", models.TextField()),
        ("quantity_kg", models.DecimalField(max_digits=18, decimal_places=3)),
        ("value", models.DecimalField(max_digits=18, decimal_places=2)),
        ("currency", models.TextField()),
        ("incoterm", models.TextField()),
        ("contract_date", models.DateField()),
        ("loading_date", models.DateField()),
        ("port", models.TextField()),
        ("customs_declaration", models.TextField()),
        ("status", models.TextField()),
    ]:
        field.contribute_to_class(BenchTransactionReport, name)
    kinds = {
        "id": "number",
        "reported_at": "datetime",
        "producer_id": "number",
        "quantity_kg": "number",
        "value": "number",
        "contract_date": "date",
        "loading_date": "date",
        "producer_name": "text",
        "client_name": "text",
        "end_user": "text",
        "port": "text",
    }
    names = [f.name for f in BenchTransactionReport._meta.concrete_fields]
    dataset = register(
        Dataset(
            name="bench_transactions",
            label="Transactions (benchmark)",
            model="audit.BenchTransactionReport",
            columns=tuple(Column(n, n, n, kind=kinds.get(n, "code")) for n in names),
            order_by=("id",),
        )
    )
    started = time.perf_counter()
    result = writers.write(dataset, {}, fmt, Path(target))
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.4f} {peak_mb:.1f} {result.row_count} {result.size_bytes}")


def run_child(url: str, fmt: str, target: Path) -> tuple[float, float, int, int]:
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", fmt, str(target)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3])


def main() -> None:
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        _, _, fmt, target = sys.argv[:4]
        child(fmt, target)
        return
    url = bench_url()
    out_dir = Path(tempfile.mkdtemp(prefix="rt-bench-exports-"))
    print(f"Creating {ROWS:,} transaction-like rows in {urlsplit(url).path.lstrip('/')} ...")
    create_database(url)
    try:
        psql_times = [psql_copy(url, out_dir / "psql.csv") for _ in range(REPEAT)]
        psql_best = min(psql_times)
        results = {}
        for fmt in ("csv", "jsonl"):
            runs = [run_child(url, fmt, out_dir / f"portal.{fmt}") for _ in range(REPEAT)]
            results[fmt] = (*min(runs, key=lambda r: r[0]), max(r[1] for r in runs))
        psql_size = (out_dir / "psql.csv").stat().st_size
        print()
        print(f"{'path':<34}{'best s':>9}{'ratio':>8}{'peak MB':>9}{'rows':>11}{'MB out':>8}")
        print(
            f"{PSQL_LABEL:<34}{psql_best:>9.2f}{1:>8.2f}{'-':>9}{ROWS:>11,}{psql_size / 1e6:>8.1f}"
        )
        targets = {"csv": 1.5, "jsonl": 2.0}
        verdicts = []
        for fmt, (elapsed, _peak, rows, size, worst_peak) in results.items():
            ratio = elapsed / psql_best
            label = f"portal {fmt.upper()} (COPY via psycopg)"
            print(
                f"{label:<34}{elapsed:>9.2f}{ratio:>8.2f}{worst_peak:>9.1f}{rows:>11,}"
                f"{size / 1e6:>8.1f}"
            )
            verdicts.append(
                f"{fmt.upper()}: {ratio:.2f}x psql (target {targets[fmt]}x) "
                f"{'OK' if ratio <= targets[fmt] else 'MISSED'}; peak {worst_peak:.0f} MB "
                f"(target 150) {'OK' if worst_peak < 150 else 'MISSED'}"
            )
        print()
        print("\n".join(verdicts))
        print(f"psql runs: {', '.join(f'{t:.2f}' for t in psql_times)} s")
    finally:
        for path in out_dir.glob("*"):
            path.unlink()
        out_dir.rmdir()
        if "--keep" not in sys.argv:
            drop_database(url)


if __name__ == "__main__":
    main()
