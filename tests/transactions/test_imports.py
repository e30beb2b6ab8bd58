"""Bulk upload: preview names every bad row, commit is all-or-nothing, a file is imported once."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.errors import ConflictError, DomainError
from apps.licensing.models import LicenceLine
from apps.transactions import importing, services, tasks
from apps.transactions.models import (
    ImportBatch,
    LedgerEntry,
    TransactionLine,
    TransactionReport,
)
from tests.transactions.conftest import cdn, days_ago

pytestmark = pytest.mark.django_db


def rows_csv(licence, buyer, n, *, quantity="0.001", bad_at=None, bad=None) -> bytes:
    loading = days_ago(5)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(importing.COLUMNS)
    for i in range(n):
        row = {
            "reference": f"R-{i}",
            "licence_number": licence.number,
            "purchaser": buyer.legal_name,
            "consignee": buyer.legal_name,
            "end_user": buyer.legal_name,
            "incoterm": "CIF",
            "contract_date": str(days_ago(30)),
            "loading_date": str(loading),
            "departure_date": str(days_ago(4)),
            "arrival_date": str(days_ago(-10)),
            "origin": "Ganzhou",
            "destination_country": "DE",
            "port_of_clearance": "Shanghai",
            "customs_declaration_number": cdn(loading, i + 1),
            "item": "1C905.a",
            "form": "metal",
            "hs_code": "2805301200",
            "quantity": quantity,
            "unit": "kg",
            "value": "0.35",
            "currency": "USD",
        }
        if bad_at is not None and i == bad_at:
            row.update(bad)
        writer.writerow([row[c] for c in importing.COLUMNS])
    return out.getvalue().encode()


def test_one_bad_row_among_ten_thousand_imports_nothing_and_names_the_row(producer, licence, buyer):
    content = rows_csv(licence, buyer, 10_000, bad_at=6_999, bad={"unit": "lb"})
    batch = services.import_upload(actor=producer, content=content, filename="q3.csv")
    batch = services.import_check(batch.pk)
    assert batch.status == "invalid"
    assert batch.error_count == 1
    assert batch.errors == [{"line": 7001, "message": "Line 7001: unit 'lb' must be kg, t or g."}]
    with pytest.raises(ConflictError):
        services.import_commit(actor=producer, batch=batch)
    assert TransactionReport.objects.count() == 0
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("100")


def test_valid_file_is_committed_with_one_draw_per_line_and_one_audit_event(
    producer, licence, buyer
):
    content = rows_csv(licence, buyer, 1_500, quantity="0.050")
    batch = services.import_upload(actor=producer, content=content, filename="ok.csv")
    batch = services.import_check(batch.pk)
    assert batch.status == "valid", batch.errors[:3]
    batch = services.import_commit(actor=producer, batch=batch)
    assert batch.status == "committed"
    assert TransactionReport.objects.filter(import_batch=batch).count() == 1_500
    line = LicenceLine.objects.get(licence=licence)
    assert line.balance == Decimal("25.000")
    assert LedgerEntry.objects.filter(import_batch=batch).count() == 1
    drawn = LedgerEntry.objects.filter(licence_line=line).aggregate(s=Sum("amount"))["s"]
    assert line.balance == line.quantity_granted - drawn
    events = AuditEvent.objects.filter(action="transactions.import")
    assert events.count() == 1
    assert events.get().changes["sha256"] == batch.sha256
    assert events.get().changes["rows"] == 1_500


def test_the_same_file_twice_is_recognised_and_refused(producer, licence, buyer):
    content = rows_csv(licence, buyer, 3)
    batch = services.import_upload(actor=producer, content=content, filename="a.csv")
    with pytest.raises(ConflictError) as refused:
        services.import_upload(actor=producer, content=content, filename="renamed.csv")
    assert f"as import #{batch.pk}" in refused.value.message


def test_rows_over_the_balance_are_named_in_the_preview(producer, licence_factory, buyer):
    licence = licence_factory(quantity="1")
    content = rows_csv(licence, buyer, 5, quantity="0.300")
    batch = services.import_check(
        services.import_upload(actor=producer, content=content, filename="b.csv").pk
    )
    assert [e["line"] for e in batch.errors] == [5, 6]
    assert batch.errors[0]["message"] == (
        "Line 5: 0.300 kg asked, the licence line has 0.100 kg left"
    )


def test_commit_is_refused_whole_when_the_balance_went_meanwhile(producer, licence, buyer):
    from apps.transactions.validation import LineInput
    from tests.transactions.conftest import report_input

    content = rows_csv(licence, buyer, 10, quantity="9")
    batch = services.import_check(
        services.import_upload(actor=producer, content=content, filename="c.csv").pk
    )
    assert batch.status == "valid"
    services.transaction_report(
        actor=producer,
        data=report_input(
            licence, buyer, lines=[LineInput("1C905.a", "metal", "20", "kg", "1", "USD")]
        ),
    )
    with pytest.raises(
        DomainError, match=r"90\.000 kg asked, the licence line has 80\.000 kg left"
    ):
        services.import_commit(actor=producer, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert TransactionReport.objects.filter(import_batch=batch).count() == 0
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("80")


def test_xlsx_file_and_template(producer, licence, buyer):
    from openpyxl import Workbook, load_workbook

    template = load_workbook(io.BytesIO(importing.template_xlsx()))
    assert [c.value for c in template.active[1]] == importing.COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(importing.COLUMNS)
    loading = days_ago(5)
    sheet.append(
        [
            "X-1",
            licence.number,
            buyer.legal_name,
            buyer.legal_name,
            buyer.legal_name,
            "CIF",
            days_ago(30),
            loading,
            days_ago(4),
            days_ago(-10),
            "Ganzhou",
            "DE",
            "Shanghai",
            cdn(loading),
            "1C905.a",
            "metal",
            "2805301200",
            1.25,
            "kg",
            437.5,
            "USD",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    batch = services.import_check(
        services.import_upload(actor=producer, content=out.getvalue(), filename="x.xlsx").pk
    )
    assert batch.status == "valid", batch.errors
    services.import_commit(actor=producer, batch=batch)
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("98.750")


def test_unreadable_header_is_reported_on_line_one(producer):
    batch = services.import_check(
        services.import_upload(actor=producer, content=b"foo,bar\n1,2\n", filename="x.csv").pk
    )
    assert batch.status == "invalid"
    assert batch.errors[0]["line"] == 1
    assert "the header lacks the columns" in batch.errors[0]["message"]


def test_large_file_is_checked_and_committed_by_the_tasks(
    producer, licence, buyer, settings, django_capture_on_commit_callbacks
):
    settings.TRANSACTIONS_IMPORT_SYNC_MAX_ROWS = 10
    content = rows_csv(licence, buyer, 50)
    with django_capture_on_commit_callbacks() as enqueued:
        batch = services.import_upload(actor=producer, content=content, filename="big.csv")
        batch = services.import_start(actor=producer, batch=batch)
    assert len(enqueued) == 1
    assert batch.status == ImportBatch.Status.VALIDATING
    # The worker's side: the task runs for real and is safe to run twice.
    assert tasks.check_import(batch.pk) == "valid"
    assert tasks.check_import(batch.pk) == "valid"
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks() as enqueued:
        services.import_commit(actor=producer, batch=batch)
    assert len(enqueued) == 1
    assert tasks.commit_import(batch.pk, producer.pk) == "committed"
    assert tasks.commit_import(batch.pk, producer.pk) == "committed"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert TransactionReport.objects.filter(import_batch=batch).count() == 50


def test_status_fragment_polls_while_checking_and_refreshes_when_done(
    client_for, producer, licence, buyer
):
    from django.urls import reverse

    batch = services.import_upload(
        actor=producer, content=rows_csv(licence, buyer, 3), filename="poll.csv"
    )
    client = client_for(producer)
    url = reverse("transactions:upload_status", args=[batch.pk])
    polling = client.get(url)
    assert b'hx-trigger="every 1s"' in polling.content
    assert "HX-Refresh" not in polling
    services.import_check(batch.pk)
    done = client.get(url)
    assert done["HX-Refresh"] == "true"
    assert b"hx-trigger" not in done.content


def test_commit_loads_the_checked_rows_or_checks_again_when_something_changed(
    producer, licence, buyer, other_buyer
):
    fields = ["reference", "loading_date", "customs_declaration_number", "total_kg"]
    fast = services.import_check(
        services.import_upload(
            actor=producer, content=rows_csv(licence, buyer, 20), filename="fast.csv"
        ).pk
    )
    assert fast.staged
    services.import_commit(actor=producer, batch=fast)
    slow = services.import_check(
        services.import_upload(
            actor=producer, content=rows_csv(licence, buyer, 21), filename="slow.csv"
        ).pk
    )
    # A client of the book renamed after the check: the rows are checked again at commit.
    other_buyer.legal_name = "Lyon Semiconducteurs SA"
    other_buyer.save(update_fields=["legal_name"])
    services.import_commit(actor=producer, batch=slow)
    loaded_fast = list(
        TransactionReport.objects.filter(import_batch=fast).order_by("id").values(*fields)
    )
    loaded_slow = list(
        TransactionReport.objects.filter(import_batch=slow).order_by("id").values(*fields)
    )
    assert loaded_fast == loaded_slow[:20]
    # Every stored field, reports and lines, is the same by either path (the staged record's
    # field order is written out by hand in stage_record).
    every = [f.attname for f in TransactionReport._meta.concrete_fields]
    ignore = {"id", "import_batch_id", "filed_at"}
    same = [name for name in every if name not in ignore]
    assert (
        list(TransactionReport.objects.filter(import_batch=fast).order_by("id").values_list(*same))
        == list(
            TransactionReport.objects.filter(import_batch=slow).order_by("id").values_list(*same)
        )[:20]
    )
    line_fields = [
        f.attname for f in TransactionLine._meta.concrete_fields if f.name not in ("id", "report")
    ]
    assert (
        list(
            TransactionLine.objects.filter(report__import_batch=fast)
            .order_by("report_id")
            .values_list(*line_fields)
        )
        == list(
            TransactionLine.objects.filter(report__import_batch=slow)
            .order_by("report_id")
            .values_list(*line_fields)
        )[:20]
    )
    lines = TransactionReport.objects.filter(import_batch=fast).first().lines.get()
    assert (lines.quantity, lines.unit, lines.licence_line.licence_id) == (
        Decimal("0.001"),
        "kg",
        licence.pk,
    )
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("99.959")


def test_free_text_with_tabs_backslashes_and_newlines_is_stored_exactly(producer, licence, buyer):
    """The checked rows are staged as COPY text: free text must come back byte for byte."""
    loading = days_ago(5)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(importing.COLUMNS)
    texts = [("PO\t7\\x1f", "Gan\nzhou \\N", "Shang\\hai\r"), ("\\", "Baotou", "Ningbo \x1f")]
    for i, (reference, origin, port) in enumerate(texts):
        row = dict(zip(importing.COLUMNS, importing.EXAMPLE, strict=True))
        row.update(
            reference=reference,
            licence_number=licence.number,
            purchaser=buyer.legal_name,
            consignee=buyer.legal_name,
            end_user=buyer.legal_name,
            contract_date=str(days_ago(30)),
            loading_date=str(loading),
            departure_date=str(days_ago(4)),
            arrival_date=str(days_ago(-10)),
            origin=origin,
            port_of_clearance=port,
            customs_declaration_number=cdn(loading, i + 1),
            quantity="1.5",
        )
        writer.writerow([row[c] for c in importing.COLUMNS])
    batch = services.import_check(
        services.import_upload(
            actor=producer, content=out.getvalue().encode(), filename="text.csv"
        ).pk
    )
    assert batch.status == "valid", batch.errors
    assert batch.staged  # committed from the staged rows, not checked again
    services.import_commit(actor=producer, batch=batch)
    stored = list(
        TransactionReport.objects.filter(import_batch=batch)
        .order_by("id")
        .values_list("reference", "origin", "port_of_clearance")
    )
    assert stored == [(r, o.strip(), p.strip()) for r, o, p in texts]
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("97.000")


def test_optional_columns_may_be_left_out_and_short_rows_read_as_empty(producer, licence, buyer):
    loading = days_ago(5)
    columns = [c for c in importing.COLUMNS if c not in ("reference", "hs_code")]
    values = {
        **dict(zip(importing.COLUMNS, importing.EXAMPLE, strict=True)),
        "licence_number": licence.number,
        "purchaser": buyer.legal_name,
        "consignee": buyer.legal_name,
        "end_user": buyer.legal_name,
        "contract_date": str(days_ago(30)),
        "loading_date": str(loading),
        "departure_date": str(days_ago(4)),
        "arrival_date": str(days_ago(-10)),
        "quantity": "2",
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    full = [values[c] for c in columns]
    writer.writerow([*full[:-1], values["currency"], "an extra cell"])
    short = full[:-1]  # no currency cell at all
    short[columns.index("customs_declaration_number")] = cdn(loading, 2)
    writer.writerow(short)
    batch = services.import_check(
        services.import_upload(actor=producer, content=out.getvalue().encode(), filename="s.csv").pk
    )
    assert batch.status == "invalid"
    assert batch.errors == [
        {"line": 3, "message": "Line 3: currency '' must be an ISO 4217 code like USD."}
    ]
    assert TransactionReport.objects.count() == 0


def test_every_row_naming_a_bad_client_gets_its_own_message(producer, licence, buyer, other_buyer):
    """Client names are resolved once per file; each row still gets its message and line."""
    other_buyer.archived_at = other_buyer.created_at
    other_buyer.save(update_fields=["archived_at"])
    bad = [
        {"purchaser": "Nobody GmbH"},
        {"consignee": other_buyer.legal_name},
        {"purchaser": "Nobody GmbH"},
        {"end_user": ""},
    ]
    lines = rows_csv(licence, buyer, 6).decode().splitlines()
    header = lines[0].split(",")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number, text in enumerate(lines[1:], start=2):
        row = dict(zip(header, next(csv.reader([text])), strict=True))
        if number - 2 < len(bad):
            row.update(bad[number - 2])
        writer.writerow([row[c] for c in header])
    batch = services.import_check(
        services.import_upload(actor=producer, content=out.getvalue().encode(), filename="c.csv").pk
    )
    assert batch.status == "invalid"
    assert batch.error_count == 4
    assert batch.errors == [
        {"line": 2, "message": "Line 2: Purchaser 'Nobody GmbH' is not in your client book."},
        {
            "line": 3,
            "message": f"Line 3: Consignee {other_buyer.legal_name} is archived in your client "
            "book; choose an active client.",
        },
        {"line": 4, "message": "Line 4: Purchaser 'Nobody GmbH' is not in your client book."},
        {"line": 5, "message": "Line 5: End user is required."},
    ]


@pytest.fixture
def listed_world(producer, licence_factory, company):
    """A client that resembles a listed party, not screened yet (the file's commit does it)."""
    from apps.transactions.demo import demo_client
    from tests.clients.factories import make_entry

    make_entry("Nordwind Dual-Use Trading", country="DE")
    listed = demo_client(company, producer, "Nordwind Dual Use Trading", "DE", "other")
    return licence_factory(end_user=listed), listed


def test_screening_hits_found_at_commit_are_in_the_imports_one_audit_event(producer, listed_world):
    from apps.clients.models import ScreeningHit

    # given a checked file naming a client nobody has screened since it was listed
    licence, listed = listed_world
    batch = services.import_check(
        services.import_upload(
            actor=producer, content=rows_csv(licence, listed, 3), filename="hits.csv"
        ).pk
    )
    assert not ScreeningHit.objects.filter(client=listed).exists()
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when it is imported
    batch = services.import_commit(actor=producer, batch=batch)
    # then the hit is recorded, the reports are flagged, and the one event says so
    assert batch.status == "committed"
    assert ScreeningHit.objects.filter(client=listed, status="open").count() == 1
    listed.refresh_from_db()
    assert listed.screening_status == "review"
    assert set(
        TransactionReport.objects.filter(import_batch=batch).values_list(
            "screening_flag", flat=True
        )
    ) == {True}
    events = list(AuditEvent.objects.filter(id__gt=last))
    assert [e.action for e in events] == ["transactions.import"]
    assert events[0].changes["screening"] == {
        "screened": 1,
        "new_hits": 1,
        "reopened": 0,
        "lapsed": 0,
    }


def test_a_refused_commit_records_no_screening_hit_either(producer, listed_world):
    from apps.clients.models import Client, ScreeningHit

    licence, listed = listed_world
    batch = services.import_check(
        services.import_upload(
            actor=producer, content=rows_csv(licence, listed, 3), filename="hits.csv"
        ).pk
    )
    # the client is archived after the check: the commit checks every row again and refuses
    Client.objects.filter(pk=listed.pk).update(archived_at=timezone.now())
    with pytest.raises(DomainError, match="archived"):
        services.import_commit(actor=producer, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert not ScreeningHit.objects.filter(client=listed).exists()
    assert not AuditEvent.objects.filter(action="transactions.import").exists()
