"""Filing, refusing, cancelling and correcting reports: the ledger always adds up."""

import contextlib
import random
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from apps.audit.models import AuditEvent
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.licensing.models import Licence, LicenceLine
from apps.notifications import services as notification_services
from apps.notifications.models import EmailDelivery, Notification
from apps.transactions import services
from apps.transactions.models import LedgerEntry, TransactionReport
from apps.transactions.validation import LineInput
from tests.transactions.conftest import cdn, days_ago, report_input

pytestmark = pytest.mark.django_db


def line(quantity="1", unit="kg", item="1C905.a", form="metal"):
    return LineInput(item, form, quantity, unit, "100.00", "USD", "2805301200")


def balance_of(licence) -> Decimal:
    return LicenceLine.objects.get(licence=licence).balance


def assert_ledger_adds_up(licence):
    for licence_line in LicenceLine.objects.filter(licence=licence):
        drawn = LedgerEntry.objects.filter(licence_line=licence_line).aggregate(s=Sum("amount"))
        assert licence_line.balance == licence_line.quantity_granted - (drawn["s"] or 0)


def test_accepted_report_draws_the_licence_line_down_with_a_ledger_entry(producer, licence, buyer):
    report = services.transaction_report(
        actor=producer, data=report_input(licence, buyer, lines=[line("12.5")])
    )
    assert report.status == "accepted"
    assert balance_of(licence) == Decimal("87.500")
    entry = LedgerEntry.objects.get(report=report)
    assert (entry.kind, entry.amount, entry.balance_after) == (
        "draw",
        Decimal("12.5"),
        Decimal("87.5"),
    )
    assert AuditEvent.objects.filter(action="transaction.report", object_id=str(report.pk)).exists()
    assert_ledger_adds_up(licence)


def test_quantity_above_the_balance_is_refused_with_both_quantities(producer, licence, buyer):
    services.transaction_report(
        actor=producer, data=report_input(licence, buyer, lines=[line("90")])
    )
    with pytest.raises(DomainError) as refused:
        services.transaction_report(
            actor=producer,
            data=report_input(licence, buyer, lines=[line("1"), line("12.5")]),
        )
    assert "Line 2: 12.500 kg asked, the licence line has 9.000 kg left" in refused.value.message
    assert TransactionReport.objects.count() == 1
    assert balance_of(licence) == Decimal("10.000")


def test_tonnes_and_grams_convert_exactly_to_the_licence_unit(producer, licence_factory, buyer):
    licence = licence_factory(quantity="2", unit="t")
    services.transaction_report(
        actor=producer, data=report_input(licence, buyer, lines=[line("1500", "kg")])
    )
    services.transaction_report(
        actor=producer, data=report_input(licence, buyer, lines=[line("250000", "g")])
    )
    assert balance_of(licence) == Decimal("0.250")
    with pytest.raises(DomainError) as refused:
        services.transaction_report(
            actor=producer, data=report_input(licence, buyer, lines=[line("0.5", "kg")])
        )
    assert "0.5 kg cannot be expressed exactly in t (3 decimals)" in refused.value.message
    assert balance_of(licence) == Decimal("0.250")


def test_a_gram_fraction_is_refused_in_kg(producer, licence, buyer):
    with pytest.raises(DomainError) as refused:
        services.transaction_report(
            actor=producer, data=report_input(licence, buyer, lines=[line("0.5", "g")])
        )
    assert "0.5 g cannot be expressed exactly in kg (3 decimals)" in refused.value.message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"customs_declaration_number": "12345"}, "must be 18 digits"),
        ({"customs_declaration_number": "220120261012345678"}, "is an import declaration"),
        ({"customs_declaration_number": "220120265012345678"}, "the 9th digit must be 0"),
        ({"customs_declaration_number": "220119990012345678"}, "year 1999 is not plausible"),
        ({"customs_declaration_number": "000020260012345678"}, "office code 0000"),
        ({"customs_declaration_number": "220120260000000000"}, "serial number cannot be zero"),
        ({"incoterm": "FOO"}, "is not an Incoterms 2020 rule"),
        ({"destination_country": "FR"}, "Destination FR differs from licence"),
        ({"origin": ""}, "Origin is required"),
        ({"contract_date": days_ago(1)}, "is before the contract date"),
        ({"departure_date": days_ago(10)}, "is before the loading date"),
        ({"licence": "RT-2026-999999"}, "Licence RT-2026-999999 does not exist"),
        ({"licence": ""}, "A licence is required"),
        ({"purchaser": "Nobody GmbH"}, "Purchaser 'Nobody GmbH' is not in your client book"),
    ],
)
def test_each_rule_refuses_with_its_own_message(producer, licence, buyer, overrides, message):
    with pytest.raises(DomainError) as refused:
        services.transaction_report(actor=producer, data=report_input(licence, buyer, **overrides))
    assert message in refused.value.message
    assert TransactionReport.objects.count() == 0


def test_customs_year_must_match_the_loading_date(producer, licence, buyer):
    loading = days_ago(5)
    data = report_input(
        licence, buyer, customs_declaration_number=f"2201{loading.year - 3}0123456789"
    )
    with pytest.raises(DomainError) as refused:
        services.transaction_report(actor=producer, data=data)
    assert "does not match the loading date" in refused.value.message


def test_future_loading_is_refused(producer, licence, buyer):
    future = days_ago(-3)
    data = report_input(licence, buyer, loading_date=future, customs_declaration_number=cdn(future))
    with pytest.raises(DomainError) as refused:
        services.transaction_report(actor=producer, data=data)
    assert "is in the future" in refused.value.message


def test_end_user_not_named_on_the_licence_is_refused(producer, licence, other_buyer, buyer):
    data = report_input(licence, buyer, end_user=other_buyer.pk)
    with pytest.raises(DomainError) as refused:
        services.transaction_report(actor=producer, data=data)
    assert "End user Lyon Semiconducteurs SAS is not the end user named on licence" in (
        refused.value.message
    )


def test_item_not_covered_by_the_licence_is_refused(producer, licence, buyer):
    data = report_input(licence, buyer, lines=[line(item="1C904.a")])
    with pytest.raises(DomainError) as refused:
        services.transaction_report(actor=producer, data=data)
    assert "does not cover 1C904.a in the form metal" in refused.value.message


def test_inactive_licence_and_other_companys_licence_are_refused(
    producer, other_producer, licence, buyer
):
    LicenceLine.objects.filter(licence=licence)  # the licence stays as issued
    licence.status = "suspended"
    licence.save(update_fields=["status"])
    with pytest.raises(DomainError) as refused:
        services.transaction_report(actor=producer, data=report_input(licence, buyer))
    assert "is suspended: no shipment can be reported against it" in refused.value.message
    with pytest.raises(DomainError) as foreign:
        services.transaction_report(actor=other_producer, data=report_input(licence, buyer))
    assert f"Licence {licence.number} is not held by your company" in foreign.value.message


def test_archived_client_is_refused(producer, licence, buyer):
    from django.utils import timezone

    buyer.archived_at = timezone.now()
    buyer.save(update_fields=["archived_at"])
    with pytest.raises(DomainError) as refused:
        services.transaction_report(actor=producer, data=report_input(licence, buyer))
    assert "is archived in your client book" in refused.value.message


def test_officials_cannot_report(reviewer, licence, buyer):
    with pytest.raises(PermissionDeniedError):
        services.transaction_report(actor=reviewer, data=report_input(licence, buyer))


def test_licence_is_exhausted_when_its_last_line_reaches_zero_and_the_holder_is_told(
    producer, producer_admin, licence, buyer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.transaction_report(
            actor=producer, data=report_input(licence, buyer, lines=[line("100")])
        )
    licence.refresh_from_db()
    assert licence.status == "exhausted"
    assert licence.transitions.filter(action="exhaust", actor__isnull=True).exists()
    told = Notification.objects.filter(kind="licensing.licence.exhaust", object_id=str(licence.pk))
    assert set(told.values_list("recipient__email", flat=True)) >= {
        producer.email,
        producer_admin.email,
    }
    # the e-mails go out through the outbox: what the worker's send_email task does
    for delivery in EmailDelivery.objects.filter(notification__in=told):
        assert notification_services.email_deliver(delivery_id=delivery.pk) == "sent"
    assert {m.to[0] for m in mailoutbox} >= {producer.email, producer_admin.email}


def test_cancellation_reverses_and_never_edits(producer, licence, buyer):
    report = services.transaction_report(
        actor=producer, data=report_input(licence, buyer, lines=[line("40")])
    )
    services.transaction_cancel(actor=producer, report=report, reason="Shipment did not leave")
    assert balance_of(licence) == Decimal("100.000")
    kinds = list(LedgerEntry.objects.filter(report=report).values_list("kind", "amount"))
    assert kinds == [("draw", Decimal("40.000")), ("reversal", Decimal("-40.000"))]
    with pytest.raises(ConflictError):
        services.transaction_cancel(actor=producer, report=report, reason="again")
    assert_ledger_adds_up(licence)


def test_correction_replaces_the_report_through_reversal(producer, licence, buyer):
    report = services.transaction_report(
        actor=producer, data=report_input(licence, buyer, lines=[line("95")])
    )
    new = services.transaction_correct(
        actor=producer,
        report=report,
        data=report_input(licence, buyer, lines=[line("98")]),
        reason="Weighbridge figure",
    )
    report.refresh_from_db()
    assert report.status == "cancelled"
    assert new.corrects_id == report.pk
    assert balance_of(licence) == Decimal("2.000")
    assert_ledger_adds_up(licence)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE transactions_ledgerentry SET reason = 'edited'",
        "DELETE FROM transactions_ledgerentry",
        "TRUNCATE transactions_ledgerentry",
        # a cascade from the reports reaches the ledger, and its trigger, too
        "TRUNCATE transactions_transactionreport CASCADE",
    ],
)
def test_ledger_is_append_only_in_the_database(producer, licence, buyer, statement):
    # given a ledger entry and a session without the test harness's truncate flag
    report = services.transaction_report(actor=producer, data=report_input(licence, buyer))
    with connection.cursor() as cursor:
        # the test's own inserts' deferred foreign-key checks first, or PostgreSQL refuses
        # TRUNCATE for that reason before the trigger is reached
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET raretrack.audit_allow_truncate = 'off'")
    try:
        # when
        with (
            pytest.raises(DatabaseError, match="append-only") as refused,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET raretrack.audit_allow_truncate = 'on'")
    # then
    assert statement.split()[0] in str(refused.value)
    assert LedgerEntry.objects.filter(report=report, reason="").count() == 1


def test_balance_equals_grant_minus_ledger_after_random_operations(
    producer, licence_factory, buyer
):
    rng = random.Random(7)
    licence = licence_factory(quantity="50")
    accepted = []
    for _ in range(40):
        if accepted and rng.random() < 0.3:
            report = accepted.pop(rng.randrange(len(accepted)))
            services.transaction_cancel(actor=producer, report=report, reason="random")
            continue
        quantity = f"{rng.randint(1, 9000) / 1000:.3f}"
        unit = rng.choice(["kg", "g", "t"])
        if unit == "g":
            quantity = str(rng.randint(1, 9000))
        if unit == "t":
            quantity = f"{rng.randint(1, 9) / 1000:.3f}"
        with contextlib.suppress(DomainError):
            accepted.append(
                services.transaction_report(
                    actor=producer, data=report_input(licence, buyer, lines=[line(quantity, unit)])
                )
            )
        assert_ledger_adds_up(licence)
    licence_line = LicenceLine.objects.get(licence=licence)
    live = sum((r.lines.get().quantity_licence_unit for r in accepted), Decimal(0))
    assert licence_line.balance == licence_line.quantity_granted - live


def test_screening_hits_flag_the_report(producer, licence_factory, company):
    from apps.transactions.demo import demo_client
    from tests.clients.factories import make_entry

    make_entry("Nordwind Dual-Use Trading", country="DE")
    listed = demo_client(company, producer, "Nordwind Dual Use Trading", "DE", "other")
    licence = licence_factory(end_user=listed)
    report = services.transaction_report(actor=producer, data=report_input(licence, listed))
    assert report.screening_flag is True
    assert report.screening_hits[0]["list_entry"] == "Nordwind Dual-Use Trading"
    listed.refresh_from_db()
    assert listed.screening_status == "review"


def test_uncontrolled_item_needs_no_licence(producer, buyer):
    from apps.catalogue.models import CatalogueEntry

    CatalogueEntry.objects.create(
        control_code="1C999",
        sub_item="a",
        element="testium",
        symbol="Tt",
        name="Testium metal",
        forms=["metal"],
        effective_from=days_ago(400),
        suspended_until=days_ago(-400),
    )
    data = report_input(None, buyer, lines=[line(item="1C999.a")])
    report = services.transaction_report(actor=producer, data=data)
    assert report.licence_id is None
    assert not LedgerEntry.objects.filter(report=report).exists()


def _exhaust(producer, licence, buyer):
    report = services.transaction_report(
        actor=producer, data=report_input(licence, buyer, lines=[line("100")])
    )
    licence.refresh_from_db()
    assert licence.status == "exhausted"
    return report


def test_cancellation_makes_an_exhausted_licence_active_again_and_says_so(
    producer, producer_admin, licence, buyer
):
    # given a licence used up by one report
    report = _exhaust(producer, licence, buyer)
    # when the report is cancelled
    services.transaction_cancel(actor=producer, report=report, reason="Shipment held")
    # then the licence is active again, its history and the one audit event say why
    licence.refresh_from_db()
    assert licence.status == "active"
    restore = licence.transitions.get(action="restore")
    assert (restore.from_status, restore.to_status, restore.actor_id) == (
        "exhausted",
        "active",
        None,
    )
    assert restore.reason == f"Report {report.number} cancelled: Shipment held"
    event = AuditEvent.objects.get(action="transaction.cancel", object_id=str(report.pk))
    assert event.changes["licence_restored"] == [licence.pk]
    assert not AuditEvent.objects.filter(action="licence.restore").exists()
    told = Notification.objects.filter(kind="licensing.licence.restore", object_id=str(licence.pk))
    assert set(told.values_list("recipient__email", flat=True)) >= {producer_admin.email}
    # and it takes reports again
    services.transaction_report(actor=producer, data=report_input(licence, buyer))
    assert balance_of(licence) == Decimal("99.000")


def test_correction_of_a_report_on_an_exhausted_licence_restores_what_it_gives_back(
    producer, licence, buyer
):
    report = _exhaust(producer, licence, buyer)
    new = services.transaction_correct(
        actor=producer,
        report=report,
        data=report_input(licence, buyer, lines=[line("60")]),
        reason="Weighbridge figure",
    )
    licence.refresh_from_db()
    assert licence.status == "active"
    assert balance_of(licence) == Decimal("40.000")
    event = AuditEvent.objects.get(action="transaction.report", object_id=str(new.pk))
    assert event.changes["licence_restored"] == [licence.pk]
    assert "licence_exhausted" not in event.changes
    assert_ledger_adds_up(licence)


def test_correction_that_uses_the_licence_up_again_leaves_it_exhausted_with_both_steps_recorded(
    producer, licence, buyer
):
    report = _exhaust(producer, licence, buyer)
    new = services.transaction_correct(
        actor=producer,
        report=report,
        data=report_input(licence, buyer, lines=[line("100")], reference="PO-2"),
        reason="Reference mistyped",
    )
    licence.refresh_from_db()
    assert licence.status == "exhausted"
    assert list(licence.transitions.values_list("action", flat=True)) == [
        "exhaust",
        "restore",
        "exhaust",
    ]
    event = AuditEvent.objects.get(action="transaction.report", object_id=str(new.pk))
    assert (event.changes["licence_restored"], event.changes["licence_exhausted"]) == (
        [licence.pk],
        [licence.pk],
    )


def test_an_exhausted_licence_past_its_validity_stays_exhausted(producer, licence, buyer):
    report = _exhaust(producer, licence, buyer)
    Licence.objects.filter(pk=licence.pk).update(valid_until=days_ago(1))
    services.transaction_cancel(actor=producer, report=report, reason="Shipment held")
    licence.refresh_from_db()
    assert licence.status == "exhausted"
    assert balance_of(licence) == Decimal("100.000")
    assert not licence.transitions.filter(action="restore").exists()
    event = AuditEvent.objects.get(action="transaction.cancel", object_id=str(report.pk))
    assert "licence_restored" not in event.changes


def test_cancellation_leaves_a_suspended_licence_suspended(producer, licence, buyer):
    report = services.transaction_report(actor=producer, data=report_input(licence, buyer))
    Licence.objects.filter(pk=licence.pk).update(status="suspended")
    services.transaction_cancel(actor=producer, report=report, reason="Shipment held")
    licence.refresh_from_db()
    assert licence.status == "suspended"
    assert balance_of(licence) == Decimal("100.000")


def test_correction_of_another_companys_or_a_cancelled_report_is_refused_before_anything(
    producer, other_producer, licence, buyer
):
    report = services.transaction_report(actor=producer, data=report_input(licence, buyer))
    with pytest.raises(PermissionDeniedError):
        services.transaction_correct(
            actor=other_producer, report=report, data=report_input(licence, buyer), reason="x"
        )
    services.transaction_cancel(actor=producer, report=report, reason="Shipment held")
    report.refresh_from_db()
    with pytest.raises(ConflictError, match="only an accepted report can be corrected"):
        services.transaction_correct(
            actor=producer, report=report, data=report_input(licence, buyer), reason="x"
        )
    assert TransactionReport.objects.count() == 1
