"""Auditor exports on 1,000,000 transaction-like rows: psql \\copy vs our CSV and JSON Lines.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_exports.py [--reuse]

The benchmark creates its own table shaped like a transaction report (licence, producer, client,
end user, element, control and HS codes, quantity, value, currency, incoterm, dates, port,
customs declaration, status; one end user in 1,000 is a formula) in its own database
(BENCH_DATABASE_URL, default: the DATABASE_URL server with database rt_bench_audit), registers
it as an export dataset exactly as an app would, and drops the database at the end (--keep
keeps it; --reuse uses a kept one and keeps it). BENCH_ROWS and BENCH_REPEAT (3) change the size
and the number of rounds.

Like with like: psql and the portal write the same rows and columns to a file (the headers are
compared, the rows counted); the portal's CSV also neutralises formula cells and orders by id.
Each round runs psql, the CSV export and the JSON Lines export one after the other, so the load
of a shared machine weighs on all three alike; the ratios compare medians (and bests). Each
export runs in a fresh subprocess, so the peak memory printed (VmHWM) is the whole
process's, Django included (the figure before the export is printed beside it).

Targets (issue 7): CSV within 1.5x of psql COPY, JSON Lines within 2x, peak memory < 150 MB.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.memory import peak_rss_mb  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
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


def bench_dataset():
    """The benchmark table registered as an export dataset, exactly as an app registers one."""
    from django.db import models

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
    return dataset


def child(fmt: str, target: str) -> None:
    """Runs in a subprocess: export the dataset like the portal."""
    import django

    django.setup()
    from apps.audit import writers

    dataset = bench_dataset()
    baseline_mb = peak_rss_mb()
    cpu = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = writers.write(dataset, {}, fmt, Path(target))
    elapsed = time.perf_counter() - started
    cpu = _cpu(resource.RUSAGE_SELF) - cpu
    peak_mb = peak_rss_mb()
    print(
        f"{elapsed:.4f} {cpu:.4f} {peak_mb:.1f} {baseline_mb:.1f} {result.row_count} "
        f"{result.size_bytes}"
    )


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    seconds: float
    cpu: float  # the client's own CPU (psql, or our process): the server's is the same work
    rows: int
    size: int
    peak_mb: float = 0.0
    baseline_mb: float = 0.0


def psql_copy(url: str, target: Path) -> Run:
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - psql with our own arguments
        ["psql", url, "-qc", f"\\copy {TABLE} to '{target}' with (format csv, header)"],  # noqa: S607
        check=True,
        env={**os.environ, "PGTZ": "UTC"},  # the portal writes times in UTC: same bytes
    )
    elapsed = time.perf_counter() - started
    with target.open("rb") as handle:  # no cell of the benchmark holds a line break
        rows = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1
    return Run(elapsed, _cpu(resource.RUSAGE_CHILDREN) - cpu, rows, target.stat().st_size)


def run_child(url: str, fmt: str, target: Path) -> Run:
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", fmt, str(target)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    elapsed, cpu, peak, baseline, rows, size = out
    return Run(float(elapsed), float(cpu), int(rows), int(size), float(peak), float(baseline))


def table_exists(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            found = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()  # noqa: S608
    except psycopg.Error:
        return False
    return found[0] == ROWS


def same_header(a: Path, b: Path) -> bool:
    with a.open("rb") as first, b.open("rb") as second:
        return first.readline() == second.readline()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        _, _, fmt, target = sys.argv[:4]
        child(fmt, target)
        return
    url = bench_url()
    out_dir = Path(tempfile.mkdtemp(prefix="rt-bench-exports-"))
    name = urlsplit(url).path.lstrip("/")
    if "--reuse" in sys.argv and table_exists(url):
        print(f"Reusing {ROWS:,} transaction-like rows in {name}.")
    else:
        print(f"Creating {ROWS:,} transaction-like rows in {name} ...")
        create_database(url)
    paths = {
        "psql": lambda: psql_copy(url, out_dir / "psql.csv"),
        "csv": lambda: run_child(url, "csv", out_dir / "portal.csv"),
        "jsonl": lambda: run_child(url, "jsonl", out_dir / "portal.jsonl"),
    }
    runs: dict[str, list[Run]] = {key: [] for key in paths}
    try:
        # Round robin, so that the load of a shared machine weighs on every path alike.
        for _ in range(REPEAT):
            for key, run in paths.items():
                runs[key].append(run())
        assert same_header(out_dir / "psql.csv", out_dir / "portal.csv"), "not the same columns"
        report(runs)
    finally:
        for path in out_dir.glob("*"):
            path.unlink()
        out_dir.rmdir()
        if "--keep" not in sys.argv and "--reuse" not in sys.argv:
            drop_database(url)


def report(runs: dict[str, list[Run]]) -> None:
    labels = {
        "psql": PSQL_LABEL,
        "csv": "portal CSV (COPY via libpq blocks)",
        "jsonl": "portal JSON Lines (COPY, binary lines)",
    }
    targets = {"csv": 1.5, "jsonl": 2.0}
    psql_median = median(r.seconds for r in runs["psql"])
    psql_best = min(r.seconds for r in runs["psql"])
    print()
    print(
        f"{'path':<38}{'median s':>9}{'best s':>8}{'ratio':>7}{'best':>6}{'cpu s':>7}"
        f"{'peak MB':>8}{'rows':>11}{'MB out':>8}"
    )
    verdicts = []
    for key, path_runs in runs.items():
        seconds = median(r.seconds for r in path_runs)
        best = min(r.seconds for r in path_runs)
        ratio, best_ratio = seconds / psql_median, best / psql_best
        peak = max(r.peak_mb for r in path_runs)
        rows = {r.rows for r in path_runs}
        assert rows == {ROWS}, f"{key} wrote {rows} rows, not {ROWS}"
        print(
            f"{labels[key]:<38}{seconds:>9.2f}{best:>8.2f}{ratio:>7.2f}{best_ratio:>6.2f}"
            f"{median(r.cpu for r in path_runs):>7.2f}{peak or '-':>8}{ROWS:>11,}"
            f"{path_runs[0].size / 1e6:>8.1f}"
        )
        if key in targets:
            baseline = max(r.baseline_mb for r in path_runs)
            verdicts.append(
                f"{key.upper()}: {ratio:.2f}x psql (median of {len(path_runs)}; best "
                f"{best_ratio:.2f}x; target {targets[key]}x) "
                f"{'OK' if ratio <= targets[key] else 'MISSED'}; peak {peak:.0f} MB, of which "
                f"{baseline:.0f} MB before the export (target 150) "
                f"{'OK' if peak < 150 else 'MISSED'}"
            )
    print()
    print("\n".join(verdicts))
    for key, path_runs in runs.items():
        print(f"{key} runs: {', '.join(f'{r.seconds:.2f}' for r in path_runs)} s")


if __name__ == "__main__":
    main()
