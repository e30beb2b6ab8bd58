"""Filing one report (form and API), cancelling and correcting it.

Filing runs in two steps: the report is checked and its clients screened (each screening commits
on its own, and screening twice changes nothing), then one transaction re-checks it against fresh
data, draws the licence lines down by compare-and-set *before* anything else is written (so the
row locks are always taken in the same order), writes the report, its lines and ledger entries,
marks a used-up licence exhausted and records one audit event.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.clients import services as clients_services
from apps.clients.models import Client
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.transactions import permissions, selectors
from apps.transactions.models import LedgerEntry, Source, TransactionLine, TransactionReport
from apps.transactions.services import ledger
from apps.transactions.validation import (
    BatchContext,
    Problems,
    ReportInput,
    ValidReport,
    validate_report,
)


def organisation_id_of(actor) -> int:
    if not permissions.can_report(actor):
        raise PermissionDeniedError(_("Only staff of a verified producer report transactions."))
    return actor.membership.organisation_id


def refusal(problems: Problems) -> DomainError:
    messages = problems.messages
    message = messages[0] if len(messages) == 1 else " ".join(messages)
    return DomainError(message, field_errors=problems.as_field_errors())


def screen_clients(client_ids, *, actor) -> None:
    """Screen each client named (the clients app's service); hits then flag the report."""
    for client in Client.objects.filter(pk__in=set(client_ids)).order_by("pk"):
        clients_services.client_screen(client, actor=actor, reason="transaction report")


def report_prepare(
    *, actor, data: ReportInput, replacing: TransactionReport | None = None
) -> ValidReport:
    """Check a report and screen its clients; writes nothing but screening results."""
    organisation_id = organisation_id_of(actor)
    ctx = BatchContext(organisation_id)
    if replacing is not None:
        # A correction may use what the report it replaces gives back, and its licence if that
        # reversal makes it active again (report_file reverses first, then checks for real).
        licences = {lic.pk: lic for lic in ctx.licences.values()}
        for line_id, amount in TransactionLine.objects.filter(
            report_id=replacing.pk, licence_line__isnull=False
        ).values_list("licence_line_id", "quantity_licence_unit"):
            ctx.balances[line_id] += amount
            licence = licences[ctx.line_by_id[line_id].licence_id]
            if selectors.licence_restorable(licence, ctx.today):
                licence.status = "active"
    valid, problems = validate_report(data, ctx)
    if problems:
        raise refusal(problems)
    screen_clients([valid.purchaser_id, valid.consignee_id, valid.end_user_id], actor=actor)
    return valid


def transaction_report(
    *,
    actor,
    data: ReportInput,
    source: str = Source.FORM,
    corrects: TransactionReport | None = None,
    reason: str = "",
) -> TransactionReport:
    """File a report: accepted with its draw-downs, or refused with every problem named."""
    report_prepare(actor=actor, data=data)
    return report_file(actor=actor, data=data, source=source, corrects=corrects, reason=reason)


@transaction.atomic
def report_file(
    *,
    actor,
    data: ReportInput,
    source: str = Source.FORM,
    corrects: TransactionReport | None = None,
    reason: str = "",
) -> TransactionReport:
    organisation_id = organisation_id_of(actor)
    replaced: dict = {}
    if corrects is not None:
        replaced = _cancel(actor=actor, report=corrects, reason=reason, replaced=True)
    ctx = BatchContext(organisation_id)
    valid, problems = validate_report(data, ctx)
    if problems:
        raise refusal(problems)
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    labels: dict[int, str] = {}
    for position, line in enumerate(valid.lines, start=1):
        if line.licence_line_id:
            amounts[line.licence_line_id] += line.quantity_licence_unit
            labels.setdefault(line.licence_line_id, _("Line %(n)s") % {"n": position})
    # Compare-and-set first: nothing referencing the licence is written before its lines are ours.
    after = ledger.draw(amounts, labels)
    now = timezone.now()
    report = TransactionReport.objects.create(
        organisation_id=organisation_id,
        reference=valid.reference,
        licence_id=valid.licence_id,
        source=source,
        purchaser_id=valid.purchaser_id,
        consignee_id=valid.consignee_id,
        end_user_id=valid.end_user_id,
        incoterm=valid.incoterm,
        contract_date=valid.contract_date,
        loading_date=valid.loading_date,
        departure_date=valid.departure_date,
        arrival_date=valid.arrival_date,
        origin=valid.origin,
        destination_country=valid.destination_country,
        port_of_clearance=valid.port_of_clearance,
        customs_declaration_number=valid.customs_declaration_number,
        total_kg=valid.total_kg,
        screening_flag=bool(valid.screening_hits),
        screening_hits=valid.screening_hits,
        filed_by=actor,
        filed_at=now,
        corrects=corrects,
    )
    lines = TransactionLine.objects.bulk_create(
        TransactionLine(
            report=report,
            position=position,
            catalogue_entry_id=line.catalogue_entry_id,
            form=line.form,
            hs_code=line.hs_code,
            quantity=line.quantity,
            unit=line.unit,
            quantity_kg=line.quantity_kg,
            licence_line_id=line.licence_line_id,
            quantity_licence_unit=line.quantity_licence_unit,
            value=line.value,
            currency=line.currency,
        )
        for position, line in enumerate(valid.lines, start=1)
    )
    running = {line_id: after[line_id] + amounts[line_id] for line_id in after}
    entries = []
    for line in lines:
        if not line.licence_line_id:
            continue
        running[line.licence_line_id] -= line.quantity_licence_unit
        entries.append(
            LedgerEntry(
                licence_line_id=line.licence_line_id,
                kind=LedgerEntry.Kind.DRAW,
                amount=line.quantity_licence_unit,
                balance_after=running[line.licence_line_id],
                report=report,
                transaction_line=line,
                actor=actor,
                created_at=now,
            )
        )
    LedgerEntry.objects.bulk_create(entries)
    exhausted = ledger.exhaust_used_up([valid.licence_id] if after else [])
    audit_record(
        actor=actor,
        action="transaction.report",
        obj=report,
        changes={
            "source": source,
            "licence": valid.licence_id,
            "total_kg": str(valid.total_kg),
            "draws": {str(k): str(v) for k, v in amounts.items()},
            "screening_hits": len(valid.screening_hits),
            **({"corrects": corrects.pk, **replaced} if corrects else {}),
            **({"licence_exhausted": exhausted} if exhausted else {}),
        },
    )
    return report


def _cancel(*, actor, report: TransactionReport, reason: str, replaced: bool = False) -> dict:
    """Reverse a report; returns what was given back. A correction (`replaced`) records it in
    the new report's one event instead of an event of its own."""
    if not permissions.can_cancel_report(actor, report):
        raise PermissionDeniedError(_("Only the reporting company cancels its reports."))
    if not reason.strip():
        raise DomainError(_("Give the reason."), field_errors={"reason": [_("Required.")]})
    now = timezone.now()
    updated = TransactionReport.objects.filter(pk=report.pk, status="accepted").update(
        status=TransactionReport.Status.CANCELLED, cancelled_at=now, cancel_reason=reason.strip()
    )
    if updated == 0:
        raise ConflictError(_("Report %(n)s was already cancelled.") % {"n": report.number})
    entries = []
    for line in TransactionLine.objects.filter(
        report_id=report.pk, licence_line__isnull=False
    ).order_by("licence_line_id", "position"):
        balance = ledger.give_back(line.licence_line_id, line.quantity_licence_unit)
        entries.append(
            LedgerEntry(
                licence_line_id=line.licence_line_id,
                kind=LedgerEntry.Kind.REVERSAL,
                amount=-line.quantity_licence_unit,
                balance_after=balance,
                report_id=report.pk,
                transaction_line=line,
                reason=reason.strip(),
                actor=actor,
                created_at=now,
            )
        )
    LedgerEntry.objects.bulk_create(entries)
    restored = []
    if entries and report.licence_id:
        # An exhausted licence that has a balance again is usable again (before a correction's
        # new report is checked against it).
        note = (
            _("Report %(n)s corrected: %(reason)s")
            if replaced
            else _("Report %(n)s cancelled: %(reason)s")
        )
        restored = ledger.restore_replenished(
            [report.licence_id], reason=note % {"n": report.number, "reason": reason.strip()}
        )
    changes = {
        "reason": reason.strip(),
        "returned": {e.licence_line_id: e.amount for e in entries},
        **({"licence_restored": restored} if restored else {}),
    }
    if not replaced:
        audit_record(actor=actor, action="transaction.cancel", obj=report, changes=changes)
    return changes


@transaction.atomic
def transaction_cancel(*, actor, report: TransactionReport, reason: str) -> TransactionReport:
    """Cancel a report: reversing ledger entries give its quantities back; nothing is edited."""
    _cancel(actor=actor, report=report, reason=reason)
    report.refresh_from_db()
    return report


def correction_prepare(
    *, actor, report: TransactionReport, data: ReportInput, reason: str
) -> ValidReport:
    """Check a correction before anything is written (the first step of transaction_correct,
    and of the API's, which files under an Idempotency-Key): the replaced report is the actor's
    company's and still accepted, a reason is given, and the new report passes every rule."""
    if not permissions.can_cancel_report(actor, report):
        raise PermissionDeniedError(_("Only the reporting company corrects its reports."))
    if report.status != TransactionReport.Status.ACCEPTED:
        raise ConflictError(
            _("Report %(n)s was cancelled: only an accepted report can be corrected.")
            % {"n": report.number}
        )
    if not reason.strip():
        raise DomainError(_("Give the reason."), field_errors={"reason": [_("Required.")]})
    return report_prepare(actor=actor, data=data, replacing=report)


def transaction_correct(
    *, actor, report: TransactionReport, data: ReportInput, reason: str
) -> TransactionReport:
    """Replace a report: the old one is reversed and a new one filed, in one transaction."""
    correction_prepare(actor=actor, report=report, data=data, reason=reason)
    return report_file(actor=actor, data=data, corrects=report, reason=reason)
