"""Auditor exports of 1,000,000 transactions: psql \\copy vs the portal's CSV and JSON Lines.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_exports.py [--reuse]

The benchmark exports the real "transactions" dataset (apps/transactions/exports.py: one row per
transaction line with its report's fields, joined to the company, licence, parties and
catalogue entry). In its own database (BENCH_DATABASE_URL, default: the DATABASE_URL server with
database rt_bench_audit) it runs the migrations, makes two producers with clients and licences
(tests.factories, apps.transactions.demo) and COPYs reports of two lines each into the
transaction tables, ids resolved as the import stores them; one purchaser in 1,000 has a
formula for a name. It drops the database at the end (--keep keeps it; --reuse uses a kept one
and keeps it). BENCH_ROWS (lines) and BENCH_REPEAT (3) change the size and the number of rounds.

Like with like: psql copies the dataset's own SELECT (the query Django compiles for the export:
same joins, same columns, same order) to a file; the headers are compared, the rows counted. The
portal's CSV also neutralises formula cells and writes booleans as true/false.
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
LINES_TABLE = "transactions_transactionline"
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
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--seed"], env=env, check=True, cwd=ROOT
    )


def seed() -> None:
    """Runs in a subprocess on the bench database: migrate, the world, then COPY the rows."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from apps.transactions.demo import demo_client, entry_for, make_licence
    from apps.transactions.models import TransactionLine, TransactionReport
    from apps.transactions.services.imports import LINE_COLUMNS, REPORT_COLUMNS
    from tests.factories import OrganisationFactory, make_producer

    call_command("migrate", verbosity=0)
    worlds = []
    for n, (company_name, element, country) in enumerate(
        [
            ("Ganzhou Rare Earth Magnetics Co., Ltd.", "1C905.a", "DE"),
            ("Baotou Separation Works Co., Ltd.", "1C902.a", "KR"),
        ]
    ):
        company = OrganisationFactory(legal_name=company_name)
        user = make_producer(company, email=f"bench{n}@bench.test")
        buyer = demo_client(company, user, f"Automotive Components {n} GmbH", country, "wind")
        hostile = demo_client(company, user, '=HYPERLINK("http://x")', country, "wind")
        entry = entry_for(element, "metal")
        licence = make_licence(
            organisation=company, user=user, end_user=buyer, entry=entry, destination=country
        )
        worlds.append((company, user, buyer, hostile, entry, licence, country))
    reports_table = TransactionReport._meta.db_table
    lines_table = TransactionLine._meta.db_table
    reports = (ROWS + 1) // 2
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(f"COPY {reports_table} ({', '.join(REPORT_COLUMNS)}) FROM STDIN") as copy:
            chunk = []
            for i in range(1, reports + 1):
                company, user, buyer, hostile, _entry, licence, country = worlds[i % 2]
                party = hostile if i % 1000 == 0 else buyer
                day = i % 300
                fields = {
                    "id": i,
                    "organisation_id": company.pk,
                    "reference": f"SO-{i}",
                    "licence_id": licence.pk,
                    "status": "cancelled" if i % 97 == 0 else "accepted",
                    "source": "upload",
                    "purchaser_id": party.pk,
                    "consignee_id": buyer.pk,
                    "end_user_id": buyer.pk,
                    "incoterm": ("FOB", "CIF", "EXW", "DAP")[i % 4],
                    "contract_date": _day(day),
                    "loading_date": _day(day + 14),
                    "departure_date": _day(day + 15),
                    "arrival_date": _day(day + 45),
                    "origin": "Ganzhou",
                    "destination_country": country,
                    "port_of_clearance": "Tianjin Xingang",
                    "customs_declaration_number": f"220120250{i:09d}",
                    "total_kg": "2.000",
                    "screening_flag": "t" if party is hostile else "f",
                    "screening_hits": "[]",
                    "filed_by_id": user.pk,
                    "filed_at": f"{_day(day + 16)} 08:{i % 60:02d}:00+00",
                    "import_batch_id": "\\N",
                    "cancel_reason": "",
                }
                chunk.append("\t".join(str(fields[c]) for c in REPORT_COLUMNS))
                if len(chunk) == 5000:
                    copy.write("\n".join(chunk) + "\n")
                    chunk = []
            if chunk:
                copy.write("\n".join(chunk) + "\n")
        with cursor.copy(f"COPY {lines_table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            chunk = []
            for i in range(1, ROWS + 1):
                report_id = (i + 1) // 2
                entry = worlds[report_id % 2][4]
                fields = {
                    "id": i,
                    "report_id": report_id,
                    "position": 2 - i % 2,
                    "catalogue_entry_id": entry.pk,
                    "form": "metal",
                    "hs_code": "2805301200",
                    "quantity": f"{(i % 1000) + 1}.125",
                    "unit": "kg",
                    "quantity_kg": f"{(i % 1000) + 1}.125",
                    "licence_line_id": "\\N",
                    "quantity_licence_unit": "\\N",
                    "value": f"{(i % 1000) * 53.5:.2f}",
                    "currency": "USD",
                }
                chunk.append("\t".join(str(fields[c]) for c in LINE_COLUMNS))
                if len(chunk) == 5000:
                    copy.write("\n".join(chunk) + "\n")
                    chunk = []
            if chunk:
                copy.write("\n".join(chunk) + "\n")
        for table in (reports_table, lines_table):
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: E501, S608 - the models' own tables
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {reports_table}, {lines_table}")


def _day(offset: int) -> str:
    import datetime as dt

    return (dt.date(2025, 1, 1) + dt.timedelta(days=offset)).isoformat()


def select_sql() -> None:
    """Runs in a subprocess: print the dataset's own SELECT, for psql to copy."""
    import django

    django.setup()
    from django.db import connection

    from apps.audit.datasets import registry

    dataset = registry.get("transactions")
    inner, params = dataset.rows({}).query.sql_with_params()
    names = ", ".join(
        f"q.c{i} AS {connection.ops.quote_name(c.name)}" for i, c in enumerate(dataset.columns)
    )
    query = connection.ops.compose_sql(f"SELECT {names} FROM ({inner}) q", params)  # noqa: S608
    print(query.replace("\n", " "))


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child(fmt: str, target: str) -> None:
    """Runs in a subprocess: export the dataset like the portal."""
    import django

    django.setup()
    from apps.audit import writers
    from apps.audit.datasets import registry

    dataset = registry.get("transactions")
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


def psql_copy(url: str, select: str, target: Path) -> Run:
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - psql with our own arguments
        ["psql", url, "-qc", f"\\copy ({select}) to '{target}' with (format csv, header)"],  # noqa: S607
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
            found = conn.execute(f"SELECT count(*) FROM {LINES_TABLE}").fetchone()  # noqa: S608
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
    if "--seed" in sys.argv:
        seed()
        return
    if "--select" in sys.argv:
        select_sql()
        return
    url = bench_url()
    out_dir = Path(tempfile.mkdtemp(prefix="rt-bench-exports-"))
    name = urlsplit(url).path.lstrip("/")
    if "--reuse" in sys.argv and table_exists(url):
        print(f"Reusing {ROWS:,} transaction lines in {name}.")
    else:
        print(f"Creating {ROWS:,} transaction lines in {name} ...")
        started = time.perf_counter()
        create_database(url)
        print(f"... migrated and seeded in {time.perf_counter() - started:.0f} s")
    select = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--select"],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    paths = {
        "psql": lambda: psql_copy(url, select, out_dir / "psql.csv"),
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
