"""Audit cases for apps/transactions/services/ (see tests/audit/coverage.py).

The state is built with apps/transactions/demo.py and tests/transactions/conftest.py helpers
(plain functions): the transactions conftest fixtures are not visible to tests/audit.
"""

from django.utils import timezone

from apps.transactions import services
from apps.transactions.demo import demo_client, entry_for, make_licence
from apps.transactions.models import ImportBatch
from apps.transactions.services.returns import previous_month
from tests.audit.coverage import AuditCase, Expect
from tests.transactions.conftest import report_input
from tests.transactions.test_imports import rows_csv


def _world(fx):
    buyer = demo_client(fx("company"), fx("producer"), "Rheinland Motoren GmbH", "DE", "automotive")
    licence = make_licence(
        organisation=fx("company"),
        user=fx("producer"),
        end_user=buyer,
        entry=entry_for("1C905.a", "metal"),
    )
    return licence, buyer


def _report(fx):
    licence, buyer = _world(fx)
    return services.transaction_report(actor=fx("producer"), data=report_input(licence, buyer))


def _uploaded(fx):
    licence, buyer = _world(fx)
    return services.import_upload(
        actor=fx("producer"), content=rows_csv(licence, buyer, 3), filename="march.csv"
    )


def _checked(fx):
    return services.import_check(_uploaded(fx).pk)


def _claimed(fx):
    batch = _checked(fx)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    return batch


def _filed(name, call):
    def run(fx, world):
        report = call(fx, report_input(*world))
        return Expect(
            "transaction.report",
            report,
            actor=fx("producer"),
            changes=("source", "licence", "draws", *(("corrects",) if name else ())),
        )

    return run


def _batch(action, call, actor="producer", **expect):
    def run(fx, batch):
        call(fx, batch)
        batch.refresh_from_db()
        return Expect(f"transactions.{action}", batch, actor=fx(actor) if actor else None, **expect)

    return run


CASES = {
    "transaction_report": AuditCase(
        setup=_world,
        call=_filed(
            "", lambda fx, data: services.transaction_report(actor=fx("producer"), data=data)
        ),
    ),
    "report_file": AuditCase(
        setup=_world,
        call=_filed("", lambda fx, data: services.report_file(actor=fx("producer"), data=data)),
    ),
    "transaction_cancel": AuditCase(
        setup=_report,
        call=lambda fx, report: Expect(
            "transaction.cancel",
            services.transaction_cancel(actor=fx("producer"), report=report, reason="Wrong CDN"),
            actor=fx("producer"),
            changes=("reason", "returned"),
        ),
    ),
    "transaction_correct": AuditCase(
        setup=_report,
        call=lambda fx, report: Expect(
            "transaction.report",
            services.transaction_correct(
                actor=fx("producer"),
                report=report,
                data=report_input(report.licence, report.purchaser, reference="PO-1b"),
                reason="Reference mistyped",
            ),
            actor=fx("producer"),
            changes=("corrects", "reason", "returned"),
        ),
    ),
    "monthly_return_confirm": AuditCase(
        call=lambda fx, _: Expect(
            "transactions.monthly_return",
            services.monthly_return_confirm(
                actor=fx("producer"), month=previous_month(timezone.localdate())
            ),
            actor=fx("producer"),
            changes=("month", "nil"),
        )
    ),
    "import_upload": AuditCase(
        setup=_world,
        call=lambda fx, world: Expect(
            "transactions.import_upload",
            services.import_upload(
                actor=fx("producer"), content=rows_csv(*world, 2), filename="april.csv"
            ),
            actor=fx("producer"),
            changes=("file", "sha256", "rows"),
        ),
    ),
    "import_check": AuditCase(
        setup=_uploaded,
        call=_batch(
            "import_check",
            lambda fx, batch: services.import_check(batch.pk),
            actor=None,
            actor_label="task transactions.check_import",
            changes=("status", "rows", "errors"),
        ),
        in_request=False,
    ),
    "import_start": AuditCase(
        setup=_uploaded,
        call=_batch(
            "import_check",
            lambda fx, batch: services.import_start(actor=fx("producer"), batch=batch),
            changes=("status", "rows"),
        ),
    ),
    "import_commit": AuditCase(
        setup=_checked,
        call=_batch(
            "import",
            lambda fx, batch: services.import_commit(actor=fx("producer"), batch=batch),
            changes=("file", "sha256", "rows"),
        ),
    ),
    "import_commit_now": AuditCase(
        setup=_claimed,
        call=_batch(
            "import",
            lambda fx, batch: services.import_commit_now(batch.pk, fx("producer")),
            changes=("file", "sha256", "rows"),
        ),
        in_request=False,
    ),
    "import_now": AuditCase(
        setup=_world,
        call=lambda fx, world: Expect(
            "transactions.import",
            services.import_now(
                actor=fx("producer"), content=rows_csv(*world, 2), filename="now.csv"
            ),
            actor=fx("producer"),
            changes=("file", "sha256", "rows"),
        ),
    ),
    "import_discard": AuditCase(
        setup=_checked,
        call=_batch(
            "import_discard",
            lambda fx, batch: services.import_discard(actor=fx("producer"), batch=batch),
            changes=("status", "file"),
        ),
    ),
}

NOT_WRITES = {
    "error_body": "the JSON body of a refusal; pure, writes nothing",
    "request_hash": "the SHA-256 of an API request; pure, writes nothing",
    "run_once": (
        "stores the API answer under its Idempotency-Key; the one audit event is written by the "
        "service it runs (transaction_report, import_commit)"
    ),
    "needs_task": "whether a file is large enough for Celery; pure, writes nothing",
    "stage_record": "encodes a checked row for COPY; pure, writes nothing",
    "draw": "a step of report_file / import commit; their one event records the draws",
    "give_back": "a step of transaction_cancel / correct; their one event records what returned",
    "exhaust_used_up": (
        "a step of report_file / import commit; their one event names the licences exhausted"
    ),
    "restore_replenished": (
        "a step of transaction_cancel / correct; their one event names the licences restored "
        "(the licence's history records the transition with the report and reason)"
    ),
    "correction_prepare": (
        "checks a correction and screens its clients through clients.client_screen (whose "
        "event is its own); writes nothing else"
    ),
    "organisation_id_of": "the reporting company of a user, or refusal; a read",
    "refusal": "turns validation problems into an error; pure, writes nothing",
    "screen_clients": (
        "calls clients.client_screen per client, which records its own event when a screening "
        "changes a hit (covered in tests/clients/audit_cases.py)"
    ),
    "report_prepare": (
        "checks a report and screens its clients through clients.client_screen (whose event is "
        "its own); writes nothing else"
    ),
    "first_of_month": "date arithmetic; pure",
    "previous_month": "date arithmetic; pure",
}
