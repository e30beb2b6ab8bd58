"""Officials' queue and case page with 200,000 applications: query counts and median times.

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_queue.py
Builds its own database (rt_bench_queue, on the server of DATABASE_URL), bulk-loads the
applications and their lines with COPY, measures through Django's test client, then drops it.
Target: a fixed number of queries per page and a median under 100 ms.
"""

import os
import random
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
RUNS = int(os.environ.get("BENCH_RUNS", "25"))
BENCH_DB = "rt_bench_queue"
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
COUNTRIES = ["DE", "JP", "KR", "US", "FR", "NL", "IT", "VN", "IN", "GB"]
SECTORS = ["automotive", "semiconductor", "electronics", "wind", "research", "other"]


def build_world():
    from apps.accounts.models import Membership, Organisation
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
    return reviewers, approver, organisations, producer, entries, Organisation


def bulk_load(reviewers, organisations, producer, entries):
    """COPY the applications and their lines: seconds, not minutes."""
    rng = random.Random(42)
    today = timezone.localdate()
    statuses = [s for s, w in STATES for _ in range(w)]
    now = timezone.now()
    rows, line_rows = [], []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('licensing_application', 'id'))")
        first_id = cursor.fetchone()[0]
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
        rows.append(
            (
                pk,
                rng.choice(organisations).pk,
                producer.pk,
                status,
                rng.choice(["single", "single", "general"]),
                f"C-{pk}",
                "general_trade",
                "tt",
                "sea",
                "Shanghai",
                rng.choice(COUNTRIES),
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
                now,
                now,
            )
        )
        for position in range(1, rng.choice([1, 1, 2, 3]) + 1):
            line_rows.append(
                (
                    pk,
                    position,
                    rng.choice(entries),
                    "metal",
                    Decimal(rng.randint(1, 5000)),
                    "kg",
                    Decimal("350.00"),
                    "USD",
                    "2805301200",
                    "",
                    True if submitted else None,
                )
            )
    app_columns = (
        "id, organisation_id, created_by_id, status, licence_type, contract_number, trade_mode, "
        "payment_method, transport_mode, port_of_exit, destination_country, final_destination, "
        "end_use, end_use_sector, fast_track, fast_track_reason, assigned_reviewer_id, "
        "recommendation, recommendation_reasons, decision_reasons, conditions, submitted_at, "
        "accepted_on, clock_used_days, clock_running_since, review_deadline, "
        "deadline_provisional, created_at, updated_at"
    )
    line_columns = (
        "application_id, position, catalogue_entry_id, form, quantity, unit, unit_price, "
        "currency, hs_code, specification, controlled_on_submission"
    )
    started = time.perf_counter()
    raw = connection.connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY licensing_application ({app_columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cursor.copy(f"COPY licensing_applicationline ({line_columns}) FROM STDIN") as copy:
            for row in line_rows:
                copy.write_row(row)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('licensing_application', 'id'), %s)",
            (first_id + N_APPLICATIONS,),
        )
        cursor.execute("ANALYZE licensing_application")
        cursor.execute("ANALYZE licensing_applicationline")
    return time.perf_counter() - started, len(line_rows)


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


def measure(client, url) -> tuple[float, int, int]:
    client.get(url)  # warm-up: calendar snapshot, template cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries.captured_queries), response.status_code


def main() -> None:
    setup_test_environment()
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = BENCH_DB
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        reviewers, _approver, organisations, producer, entries, _org = build_world()
        seconds, lines = bulk_load(reviewers, organisations, producer, entries)
        print(
            f"Loaded {N_APPLICATIONS:,} applications and {lines:,} lines by COPY in {seconds:.1f} s"
        )
        case = real_case(producer, reviewers[0])
        from tests.conftest import verified_login

        client = verified_login(Client(), reviewers[0])  # officials need a verified MFA session
        pages = [
            ("queue, default (open cases by deadline)", "/review/"),
            ("queue, under review sorted by company", "/review/?status=under_review&sort=company"),
            ("queue, element Dy", "/review/?element=Dy"),
            ("queue, <= 5 working days left", "/review/?days_left=5"),
            ("queue, my cases", "/review/?assignee=me"),
            (
                "queue, DE automotive fast track",
                "/review/?destination=DE&sector=automotive&fast_track=yes",
            ),
            ("queue, page 200", "/review/?page=200"),
            ("queue, approved sorted by submitted", "/review/?status=approved&sort=-submitted"),
            ("API queue, element Tb", "/api/v1/review/cases/?element=Tb"),
            ("case page", f"/review/cases/{case.pk}/"),
            ("API case", f"/api/v1/review/cases/{case.pk}/"),
        ]
        print(f"{'page':<48} {'median ms':>10} {'queries':>8} {'vs 100 ms':>10}")
        worst = 0.0
        for label, url in pages:
            median, queries, _status = measure(client, url)
            worst = max(worst, median)
            print(f"{label:<48} {median:>10.1f} {queries:>8} {median / 100:>9.2f}x")
            if os.environ.get("BENCH_SHOW_SQL"):  # the slowest queries of the page, to explain it
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
                for query in slowest[:3]:
                    print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        print(f"Worst median {worst:.1f} ms (target < 100 ms): {'OK' if worst < 100 else 'SLOW'}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
