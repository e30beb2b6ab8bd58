"""Officials' queue, case page and the licensing lists with 200,000 applications: query counts and
median times, for every filter and every sort the queue offers.

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_queue.py
Builds its own database (BENCH_DB, default rt_bench_queue, on the server of DATABASE_URL),
bulk-loads the applications, their lines and the licences of the approved ones with COPY, lets
VACUUM ANALYZE do what autovacuum does after a load, measures through Django's test client, then
drops it (BENCH_KEEP=1 keeps it for EXPLAIN in psql, and BENCH_REUSE=1 measures it again
without loading).

Target: a fixed number of queries per page and a median under 100 ms. The run fails (exit 1) when
a list's query count differs between page 1 and page 100, or between two queue filters (the
element filter looks its catalogue entries up once: one query more).
BENCH_RUNS (default 15) timed requests per scenario; BENCH_SHOW_SQL=1 prints each scenario's
slowest queries, BENCH_EXPLAIN=1 the plan of its slowest query; BENCH_ONLY=word runs the
scenarios whose label contains the word.
"""

import json
import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

N_APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "200000"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
BENCH_DB = os.environ.get("BENCH_DB", "rt_bench_queue")
STATES = [  # (status, weight): a realistic spread, most history closed
    ("submitted", 6),
    ("under_review", 14),
    ("information_requested", 5),
    ("reviewed", 4),
    ("approved", 45),
    ("denied", 8),
    ("withdrawn", 10),
    ("lapsed", 3),
    ("draft", 5),
]
LICENCE_STATES = ["active"] * 6 + ["expired"] * 2 + ["suspended", "revoked", "exhausted"]
COUNTRIES = ["DE", "JP", "KR", "US", "FR", "NL", "IT", "VN", "IN", "GB"]
SECTORS = ["automotive", "semiconductor", "electronics", "wind", "research", "other"]
QUEUE_SORTS = ["deadline", "submitted", "company", "status"]
DETAIL_PAGE = re.compile(r"/\d+/$")  # a case, not a list: no page 100 to compare with


def build_world():
    from apps.accounts.models import Membership
    from apps.catalogue.models import CatalogueEntry
    from apps.core.roles import Role
    from tests.factories import OrganisationFactory, UserFactory

    reviewers = [
        UserFactory(roles=[Role.REVIEWER], email=f"reviewer{i}@bench.test") for i in range(8)
    ]
    approver = UserFactory(roles=[Role.APPROVER], email="approver@bench.test")
    organisations = [OrganisationFactory() for _ in range(40)]
    producer = UserFactory(roles=[Role.PRODUCER_STAFF], email="staff@bench.test")
    Membership.objects.create(user=producer, organisation=organisations[0], role="producer_staff")
    entries = list(CatalogueEntry.objects.values_list("pk", flat=True))
    return reviewers, approver, organisations, producer, entries


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
    return cursor.fetchone()[0]


def _copy(cursor, table: str, columns: str, rows: list) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    last = f"SELECT max(id) FROM {table}"  # noqa: S608 # nosec B608 - our own table names
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ({last}))")


def bulk_load(reviewers, approver, organisations, producer, entries):
    """COPY the applications, their lines and the licences of the approved ones: seconds."""
    rng = random.Random(42)
    today = timezone.localdate()
    statuses = [s for s, w in STATES for _ in range(w)]
    now = timezone.now()
    rows, line_rows, licence_rows, licence_line_rows = [], [], [], []
    with connection.cursor() as cursor:
        first_id = _next_id(cursor, "licensing_application")
        next_line = _next_id(cursor, "licensing_applicationline")
        next_licence = _next_id(cursor, "licensing_licence")
    for i in range(N_APPLICATIONS):
        pk = first_id + i
        status = rng.choice(statuses)
        submitted = status != "draft"
        age = rng.randint(0, 700)
        accepted = today - timedelta(days=age) if submitted else None
        running = status in ("submitted", "under_review", "reviewed")
        assigned = (
            rng.choice(reviewers).pk if status not in ("submitted", "draft", "withdrawn") else None
        )
        deadline = accepted + timedelta(days=63) if running else None
        created = now - timedelta(days=age + 1, seconds=rng.randint(0, 86400))
        updated = min(now, created + timedelta(minutes=rng.randint(1, 60 * 24 * 90)))
        organisation = rng.choice(organisations).pk
        destination = rng.choice(COUNTRIES)
        lines = []
        for position in range(1, rng.choice([1, 1, 2, 3]) + 1):
            lines.append((next_line, position, rng.choice(entries), Decimal(rng.randint(1, 5000))))
            next_line += 1
        rows.append(
            (
                pk,
                organisation,
                producer.pk,
                status,
                rng.choice(["single", "single", "general"]),
                f"C-{pk}",
                "general_trade",
                "tt",
                "sea",
                "Shanghai",
                destination,
                "Final destination",
                "Magnets for motors",
                rng.choice(SECTORS),
                rng.random() < 0.05,
                "",
                assigned,
                "",
                "",
                "",
                "",
                now - timedelta(days=age) if submitted else None,
                accepted,
                rng.randint(0, 40) if submitted else 0,
                accepted if running else None,
                deadline,
                bool(deadline and deadline.year > 2026),
                json.dumps(sorted({entry for _id, _pos, entry, _qty in lines})),
                created,
                updated,
            )
        )
        approved = status == "approved"
        for line_id, position, entry, quantity in lines:
            line_rows.append(
                (
                    line_id,
                    pk,
                    position,
                    entry,
                    "metal",
                    quantity,
                    "kg",
                    Decimal("350.00"),
                    "USD",
                    "2805301200",
                    "",
                    True if submitted else None,
                    quantity if approved else None,
                )
            )
        if approved:
            issued = accepted + timedelta(days=rng.randint(20, 60))
            licence_rows.append(
                (
                    next_licence,
                    f"RT-{issued.year}-{next_licence:06d}",
                    pk,
                    organisation,
                    "single",
                    rng.choice(LICENCE_STATES),
                    issued,
                    issued + timedelta(days=364),
                    "",
                    destination,
                    "Shanghai",
                    "sea",
                    "ABCDEFGHJK",
                    approver.pk,
                    now,
                )
            )
            for line_id, _position, entry, quantity in lines:
                licence_line_rows.append(
                    (next_licence, line_id, entry, "metal", "2805301200", quantity, "kg", quantity)
                )
            next_licence += 1
    started = time.perf_counter()
    with connection.connection.cursor() as cursor:
        _copy(
            cursor,
            "licensing_application",
            "id, organisation_id, created_by_id, status, licence_type, contract_number, "
            "trade_mode, payment_method, transport_mode, port_of_exit, destination_country, "
            "final_destination, end_use, end_use_sector, fast_track, fast_track_reason, "
            "assigned_reviewer_id, recommendation, recommendation_reasons, decision_reasons, "
            "conditions, submitted_at, accepted_on, clock_used_days, clock_running_since, "
            "review_deadline, deadline_provisional, catalogue_entry_ids, created_at, updated_at",
            rows,
        )
        _copy(
            cursor,
            "licensing_applicationline",
            "id, application_id, position, catalogue_entry_id, form, quantity, unit, "
            "unit_price, currency, hs_code, specification, controlled_on_submission, "
            "approved_quantity",
            line_rows,
        )
        _copy(
            cursor,
            "licensing_licence",
            "id, number, application_id, organisation_id, licence_type, status, issued_on, "
            "valid_until, conditions, destination_country, port_of_exit, transport_mode, "
            "verification_code, issued_by_id, created_at",
            licence_rows,
        )
        with cursor.copy(
            "COPY licensing_licenceline (licence_id, application_line_id, catalogue_entry_id, "
            "form, hs_code, quantity_granted, unit, balance) FROM STDIN"
        ) as copy:
            for row in licence_line_rows:
                copy.write_row(row)
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:  # what autovacuum does after a load of this size
        for table in (
            "licensing_application",
            "licensing_applicationline",
            "licensing_licence",
            "licensing_licenceline",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return loaded, len(line_rows), len(licence_rows)


def real_case(producer, reviewer):
    """One case built through the services, with history, documents and parties."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.clients.models import Client
    from apps.licensing import services
    from apps.licensing.models import REQUIRED_DOCUMENTS
    from tests.licensing.official_world import HEADER, catalogue_entry

    client = Client.objects.create(
        organisation=producer.membership.organisation,
        legal_name="Rheinland Motoren GmbH",
        country="DE",
        sector="automotive",
        roles=["purchaser", "consignee", "end_user"],
        created_by=producer,
        name_norm="rheinland motoren gmbh",
    )
    lines = [
        {
            "catalogue_entry": catalogue_entry(),
            "form": "metal",
            "quantity": Decimal("100"),
            "unit": "kg",
            "unit_price": Decimal("350"),
            "currency": "USD",
            "hs_code": "2805301200",
        }
    ] * 3
    app = services.application_create(actor=producer, data=HEADER, lines=lines)
    services.application_set_parties(
        actor=producer,
        application=app,
        parties=[(client.pk, "purchaser"), (client.pk, "consignee"), (client.pk, "end_user")],
    )
    for kind in REQUIRED_DOCUMENTS:
        services.document_add(
            actor=producer,
            application=app,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 bench", "application/pdf"),
        )
    services.application_submit(actor=producer, application=app)
    services.application_take(actor=reviewer, application=app)
    services.rfi_raise(actor=reviewer, application=app, question="EUC?")
    services.rfi_answer(actor=producer, application=app, answer="Attached.")
    for i in range(5):
        services.note_add(actor=reviewer, application=app, body=f"Note {i}")
    return app


def queue_scenarios(reviewer, organisation) -> list[tuple[str, str]]:
    """(label, query string): every filter of the queue alone, a few together, and every sort
    both ways over the open cases, one status and one element."""
    filters = [
        ("open cases (default)", ""),
        *[
            (f"status {status}", f"status={status}")
            for status, _weight in STATES
            if status != "draft"
        ],
        ("element Dy", "element=Dy"),
        ("element Lu", "element=Lu"),
        ("destination DE", "destination=DE"),
        ("sector wind", "sector=wind"),
        ("fast track yes", "fast_track=yes"),
        ("fast track no", "fast_track=no"),
        ("days left overdue", "days_left=overdue"),
        ("days left <= 5", "days_left=5"),
        ("days left <= 10", "days_left=10"),
        ("days left <= 20", "days_left=20"),
        ("assignee me", "assignee=me"),
        ("assignee none", "assignee=none"),
        ("assignee other reviewer", f"assignee={reviewer.pk}"),
        ("company", f"company={organisation.pk}"),
        ("DE automotive fast track", "destination=DE&sector=automotive&fast_track=yes"),
        ("approved Dy to JP, mine", "status=approved&element=Dy&destination=JP&assignee=me"),
        ("fast track, days left <= 20, by company", "fast_track=yes&days_left=20&sort=company"),
    ]
    sorts = [
        (f"{scope} by {sign}{key}", f"{query}sort={sign}{key}")
        for scope, query in [
            ("open", ""),
            ("approved", "status=approved&"),
            ("element Tb", "element=Tb&"),
        ]
        for key in QUEUE_SORTS
        for sign in ("", "-")
    ]
    paging = [
        ("open, page 100", "page=100"),
        ("open, page 200", "page=200"),
        ("approved by -submitted, page 100", "status=approved&sort=-submitted&page=100"),
    ]
    return [(f"queue, {label}", f"/review/?{query}") for label, query in filters + sorts + paging]


def list_scenarios(case, organisation) -> dict[str, list[tuple[str, str]]]:
    official = [
        ("API queue, default", "/api/v1/review/cases/"),
        ("API queue, element Tb", "/api/v1/review/cases/?element=Tb"),
        (
            "API queue, approved by -submitted",
            "/api/v1/review/cases/?status=approved&ordering=-submitted",
        ),
        ("API queue, page 100", "/api/v1/review/cases/?page=100"),
        ("case page", f"/review/cases/{case.pk}/"),
        ("API case", f"/api/v1/review/cases/{case.pk}/"),
        ("licences, default (newest)", "/review/licences/"),
        ("licences, active", "/review/licences/?status=active"),
        ("licences, company", f"/review/licences/?company={organisation.pk}"),
        ("licences, element Dy", "/review/licences/?element=Dy"),
        ("licences, expiring within 30 days", "/review/licences/?expiring_within=30"),
        *[
            (f"licences, by {sign}{key}", f"/review/licences/?sort={sign}{key}")
            for key in ("number", "company", "status", "issued", "valid_until")
            for sign in ("", "-")
        ],
        ("licences, page 100", "/review/licences/?page=100"),
    ]
    producer = [
        ("producer applications, default", "/licensing/applications/"),
        ("producer applications, approved", "/licensing/applications/?status=approved"),
        ("producer applications, to DE", "/licensing/applications/?destination=DE"),
        ("producer applications, search", "/licensing/applications/?q=magnets"),
        *[
            (f"producer applications, by {sign}{key}", f"/licensing/applications/?sort={sign}{key}")
            for key in ("reference", "status", "submitted")
            for sign in ("", "-")
        ],
        ("producer applications, page 100", "/licensing/applications/?page=100"),
        ("producer licences, default", "/licensing/licences/"),
        ("producer licences, active", "/licensing/licences/?status=active"),
        ("producer licences, by valid_until", "/licensing/licences/?sort=valid_until"),
        ("producer licences, page 50", "/licensing/licences/?page=50"),
    ]
    return {"official": official, "producer": producer}


def with_page(url: str, page: int) -> str:
    if "page=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}page={page}"


def count_queries(client, url) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000


def measure(client, url) -> tuple[float, float, int, float]:
    """Median wall and CPU time of the request (CPU: this process only, the part of the wall
    time that does not depend on what else the shared machine runs), its queries and SQL time."""
    client.get(url)  # warm-up: calendar snapshot, template cache
    times, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    queries, sql_ms = count_queries(client, url)
    return statistics.median(times), statistics.median(cpu), queries, sql_ms


def explain(client, url, show_sql: bool, show_plan: bool) -> None:
    """The slowest queries of the page, and the plan of the slowest as the server ran it (on a
    shared machine the time the client waits says little about the query itself)."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    if show_sql:
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        for query in slowest[:3]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    if not show_plan:
        return
    timed = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue
            runs = []
            for _ in range(3):  # the best of three: the query, not the machine's other work
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0][0]
                runs.append(plan["Planning Time"] + plan["Execution Time"])
            timed.append((min(runs), query["sql"]))
    timed.sort(reverse=True)
    total = sum(ms for ms, _sql in timed)
    print(
        f"    server: {total:.1f} ms for {len(timed)} SELECTs (best of 3), "
        f"slowest {timed[0][0]:.1f}"
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + timed[0][1])
        for (line,) in cursor.fetchall():
            print(f"      {line}")


def run(clients, scenarios, only: str) -> tuple[list[tuple], list[str]]:
    """Time every scenario; check that page 100 costs the same number of queries as page 1."""
    show_sql = bool(os.environ.get("BENCH_SHOW_SQL"))
    show_plan = bool(os.environ.get("BENCH_EXPLAIN"))
    results, problems = [], []
    print(f"{'page':<52} {'median ms':>9} {'cpu ms':>6} {'queries':>7} {'sql ms':>6} {'vs 100':>6}")
    for who, label, url in scenarios:
        if only and only not in label:
            continue
        client = clients[who]
        median, cpu, queries, sql_ms = measure(client, url)
        results.append((label, url, median, queries))
        print(
            f"{label:<52} {median:>9.1f} {cpu:>6.1f} {queries:>7} {sql_ms:>6.1f} "
            f"{median / 100:>5.2f}x"
        )
        if not DETAIL_PAGE.search(url):
            deep, _sql = count_queries(client, with_page(url, 100))
            if deep != queries:
                problems.append(f"{label}: {queries} queries on page 1, {deep} on page 100")
        if show_sql or show_plan:
            explain(client, url, show_sql, show_plan)
    return results, problems


def fixed_queue_queries(results) -> list[str]:
    """Every queue filter and sort costs the same number of queries (element: one more)."""
    queue = [(label, url, q) for label, url, _median, q in results if url.startswith("/review/?")]
    if not queue:
        return []
    base = min(q - ("element=" in url) for _label, url, q in queue)
    return [
        f"{label}: {q} queries, expected {base + ('element=' in url)}"
        for label, url, q in queue
        if q != base + ("element=" in url)
    ]


def kept_world():
    """The world of a database an earlier run kept (BENCH_KEEP=1), for BENCH_REUSE=1."""
    from apps.accounts.models import Organisation, User
    from apps.licensing.models import Application

    reviewers = [User.objects.get(email=f"reviewer{i}@bench.test") for i in range(8)]
    producer = User.objects.get(email="staff@bench.test")
    with_cases = Organisation.objects.filter(applications__isnull=False).distinct()
    organisations = list(with_cases.order_by("pk"))
    case = Application.objects.filter(notes__isnull=False).distinct().get()
    return reviewers, organisations, producer, case


def main() -> None:
    setup_test_environment()
    reuse = bool(os.environ.get("BENCH_REUSE"))
    if reuse:
        connection.close()
        connection.settings_dict["NAME"] = BENCH_DB
    else:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = BENCH_DB
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    problems = []
    try:
        if reuse:
            reviewers, organisations, producer, case = kept_world()
            print(f"Reusing database {BENCH_DB}; {RUNS} timed requests per page")
        else:
            reviewers, approver, organisations, producer, entries = build_world()
            seconds, lines, licences = bulk_load(
                reviewers, approver, organisations, producer, entries
            )
            print(
                f"Loaded {N_APPLICATIONS:,} applications, {lines:,} lines and {licences:,} "
                f"licences by COPY in {seconds:.1f} s; {RUNS} timed requests per page"
            )
            case = real_case(producer, reviewers[0])
        from tests.conftest import verified_login

        clients = {  # officials need a verified MFA session
            "official": verified_login(Client(), reviewers[0]),
            "producer": verified_login(Client(), producer),
        }
        lists = list_scenarios(case, organisations[0])
        scenarios = [
            *[
                ("official", label, url)
                for label, url in queue_scenarios(reviewers[3], organisations[1])
            ],
            *[("official", label, url) for label, url in lists["official"]],
            *[("producer", label, url) for label, url in lists["producer"]],
        ]
        results, paging_problems = run(clients, scenarios, os.environ.get("BENCH_ONLY", ""))
        problems = paging_problems + fixed_queue_queries(results)
        medians = [median for _label, _url, median, _q in results]
        worst = max(medians, default=0.0)
        slow = [label for label, _url, median, _q in results if median >= 100]
        print(
            f"{len(results)} pages; median of medians {statistics.median(medians or [0]):.1f} ms; "
            f"worst {worst:.1f} ms (target < 100 ms): "
            + ("OK" if not slow else f"SLOW: {', '.join(slow)}")
        )
        print("Query counts: " + ("fixed" if not problems else "NOT FIXED"))
        for problem in problems:
            print(f"  {problem}")
    finally:
        if reuse or os.environ.get("BENCH_KEEP"):  # leave the database for EXPLAIN in psql
            print(f"Kept database {BENCH_DB}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
