"""The transactions app's tasks, chases and API writes (see tests/audit/coverage.py)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from apps.accounts.models import Organisation
from apps.transactions import services
from apps.transactions.models import ImportBatch, TransactionReport
from apps.workcalendar import services as calendar_services
from tests.audit.coverage import ApiCase, Expect, TaskCase
from tests.transactions.audit_cases import _claimed, _report, _uploaded, _world
from tests.transactions.conftest import report_input
from tests.transactions.test_api import body

SHANGHAI = ZoneInfo("Asia/Shanghai")
BY_CHASE = "task notifications.run_chases"

TASK_CASES = {
    "transactions.check_import": TaskCase(
        setup=_uploaded,
        kwargs=lambda fx, batch: {"batch_id": batch.pk},
        expect=lambda fx, batch: Expect(
            "transactions.import_check",
            batch,
            actor_label="task transactions.check_import",
            changes=("status", "rows", "errors"),
        ),
    ),
    "transactions.commit_import": TaskCase(
        setup=_claimed,
        kwargs=lambda fx, batch: {"batch_id": batch.pk, "actor_id": fx("producer").pk},
        expect=lambda fx, batch: Expect(
            "transactions.import",
            batch,
            actor=fx("producer"),  # the worker imports the file for the producer who asked
            changes=("file", "sha256", "rows"),
        ),
    ),
}


def _verified_in_january(fx) -> Organisation:
    """January 2026's return is due on Tue 10 Feb; nothing was confirmed."""
    calendar_services.calendar_seed_from_library(years=range(2025, 2028))
    company = fx("company")
    Organisation.objects.filter(pk=company.pk).update(verified_at=datetime(2026, 1, 15, tzinfo=UTC))
    return company


def _late_day(report) -> datetime:
    return datetime.combine(report.loading_date + timedelta(days=40), time(12), tzinfo=SHANGHAI)


def _reported_40_days_after_loading(fx):
    licence, buyer = _world(fx)
    loaded = licence.issued_on
    with time_machine.travel(datetime.combine(loaded + timedelta(days=40), time(12)), tick=False):
        return services.transaction_report(
            actor=fx("producer"), data=report_input(licence, buyer, loading_date=loaded)
        )


def _reminder(fx, obj):
    return Expect(
        "reminder.send", obj, actor_label=BY_CHASE, changes=("chase", "threshold", "recipients")
    )


CHASE_CASES = {
    "transactions.return_missing": TaskCase(
        setup=_verified_in_january,
        at=datetime(2026, 2, 11, 10, tzinfo=SHANGHAI),
        expect=_reminder,
    ),
    "transactions.late_shipment": TaskCase(
        setup=_reported_40_days_after_loading,
        at=_late_day,
        expect=_reminder,
    ),
}


API_CASES = {
    "api:transaction-list POST": ApiCase(
        user="producer",
        setup=_world,
        call=lambda fx, world: (reverse("api:transaction-list"), body(*world)),
        expect=lambda fx, world, response: Expect(
            "transaction.report",
            TransactionReport.objects.get(pk=response.json()["id"]),
            actor=fx("producer"),
            changes=("licence", "total_kg"),
        ),
    ),
    # A bulk import is one event naming the file (the request body), its SHA-256 and its rows.
    "api:transaction-bulk POST": ApiCase(
        user="producer",
        setup=_world,
        call=lambda fx, world: (
            reverse("api:transaction-bulk"),
            {"reports": [body(*world), body(*world, reference="API-2")]},
        ),
        expect=lambda fx, world, response: Expect(
            "transactions.import",
            ImportBatch.objects.get(pk=response.json()["import"]),
            actor=fx("producer"),
            changes=("file", "sha256", "rows"),
        ),
    ),
    "api:transaction-cancel POST": ApiCase(
        user="producer",
        setup=_report,
        call=lambda fx, report: (
            reverse("api:transaction-cancel", args=[report.pk]),
            {"reason": "Wrong customs declaration"},
        ),
        expect=lambda fx, report, response: Expect(
            "transaction.cancel", report, actor=fx("producer"), changes=("reason", "returned")
        ),
    ),
    "api:transaction-correct POST": ApiCase(
        user="producer",
        setup=_report,
        call=lambda fx, report: (
            reverse("api:transaction-correct", args=[report.pk]),
            {**body(report.licence, report.purchaser, reference="PO-1b"), "reason": "Mistyped"},
        ),
        expect=lambda fx, report, response: Expect(
            "transaction.report",
            TransactionReport.objects.get(pk=response.json()["id"]),
            actor=fx("producer"),
            changes=("corrects", "reason", "returned"),
        ),
    ),
}
