"""Producers' writes: drafts over several sittings, parties, documents, submission, withdrawal."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record, diff
from apps.catalogue.selectors import catalogue_in_force
from apps.clients.models import PartyRole
from apps.clients.selectors import client_list_for
from apps.core.errors import DomainError, PermissionDeniedError
from apps.licensing import documents, notify, permissions
from apps.licensing.models import (
    REQUIRED_DOCUMENTS,
    Application,
    ApplicationLine,
    ApplicationParty,
    Document,
    DocumentKind,
    LicenceType,
)
from apps.licensing.services._common import check_transition, lock_application, move
from apps.licensing.workflow import ApplicationStatus

HEADER_FIELDS = [
    "licence_type",
    "contract_number",
    "contract_date",
    "trade_mode",
    "payment_method",
    "transport_mode",
    "port_of_exit",
    "destination_country",
    "final_destination",
    "end_use",
    "end_use_sector",
]
NULLABLE_HEADER_FIELDS = {"contract_date"}
LINE_FIELDS = [
    "catalogue_entry",
    "form",
    "element_content_pct",
    "quantity",
    "unit",
    "unit_price",
    "currency",
    "hs_code",
    "specification",
]
REQUIRED_PARTY_ROLES = [PartyRole.PURCHASER, PartyRole.CONSIGNEE, PartyRole.END_USER]


def _must_own_draft(actor, app: Application) -> None:
    if not permissions.owns(actor, app):
        raise PermissionDeniedError(_("Only your company's staff can change this application."))
    if app.status != ApplicationStatus.DRAFT:
        raise DomainError(
            _("Only a draft can be changed; this application is %(status)s.")
            % {"status": app.get_status_display().lower()}
        )


def _header_snapshot(app: Application) -> dict:
    return {name: getattr(app, name) for name in HEADER_FIELDS}


def _replace_lines(app: Application, lines: list[dict]) -> None:
    errors = {}
    for index, line in enumerate(lines, start=1):
        quantity = line.get("quantity")
        if quantity is not None and Decimal(quantity) <= 0:
            errors[f"lines.{index}.quantity"] = [
                _("Line %(n)d: the quantity must be positive.") % {"n": index}
            ]
        price = line.get("unit_price")
        if price is not None and Decimal(price) < 0:
            errors[f"lines.{index}.unit_price"] = [
                _("Line %(n)d: the unit price cannot be negative.") % {"n": index}
            ]
        entry = line.get("catalogue_entry")
        form = line.get("form")
        if entry is not None and form and entry.forms and form not in entry.forms:
            errors[f"lines.{index}.form"] = [
                _("Line %(n)d: %(item)s is not exported as %(form)s.")
                % {"n": index, "item": entry, "form": form}
            ]
    if errors:
        raise DomainError(" ".join(m for ms in errors.values() for m in ms), field_errors=errors)
    app.lines.all().delete()
    created = ApplicationLine.objects.bulk_create(
        ApplicationLine(
            application=app,
            position=index,
            **{k: line.get(k) for k in LINE_FIELDS if line.get(k) is not None},
        )
        for index, line in enumerate(lines, start=1)
    )
    app.catalogue_entry_ids = catalogue_entry_ids(created)
    app.save(update_fields=["catalogue_entry_ids", "updated_at"])


def catalogue_entry_ids(lines) -> list[int]:
    """What `Application.catalogue_entry_ids` holds for these lines: whoever writes an
    application's lines writes this too, or the queue's element filter misses the case."""
    return sorted({line.catalogue_entry_id for line in lines if line.catalogue_entry_id})


@transaction.atomic
def application_create(
    *,
    actor,
    data: dict,
    lines: list[dict] | None = None,
    parties: list[tuple[int, str]] | None = None,
) -> Application:
    """A new draft for the actor's company, with its lines and parties when given (one audit
    event for all of it). Drafts may be incomplete; submission checks."""
    membership = getattr(actor, "membership", None)
    if membership is None or not permissions.owns(
        actor, Application(organisation_id=membership.organisation_id)
    ):
        raise PermissionDeniedError(_("Only staff of a verified company can apply."))
    if data.get("licence_type") not in LicenceType.values:
        raise DomainError(
            _("Choose the licence type."),
            field_errors={"licence_type": [_("Choose single or general.")]},
        )
    app = Application.objects.create(
        organisation_id=membership.organisation_id,
        created_by=actor,
        **{k: v for k, v in data.items() if k in HEADER_FIELDS and v is not None},
    )
    if lines:
        _replace_lines(app, lines)
    changes = _header_snapshot(app)
    if parties is not None:
        changes["parties"] = _set_parties(actor, app, parties)
    audit_record(actor=actor, action="application.create", obj=app, changes=changes)
    return app


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    data: dict,
    lines: list[dict] | None = None,
    parties: list[tuple[int, str]] | None = None,
) -> Application:
    app = lock_application(application)
    _must_own_draft(actor, app)
    before = _header_snapshot(app)
    for name, value in data.items():
        if name in HEADER_FIELDS:
            # Clearing a text field stores ""; clearing the (nullable) contract date stores NULL.
            blank = None if name in NULLABLE_HEADER_FIELDS else ""
            setattr(app, name, value if value is not None else blank)
    if "licence_type" in data and app.licence_type not in LicenceType.values:
        raise DomainError(
            _("Choose the licence type."),
            field_errors={"licence_type": [_("Choose single or general.")]},
        )
    app.save()
    changes = diff(before, _header_snapshot(app))
    if lines is not None:
        _replace_lines(app, lines)
        changes["lines"] = len(lines)
    if parties is not None:
        changes["parties"] = _set_parties(actor, app, parties)
    audit_record(actor=actor, action="application.update", obj=app, changes=changes)
    return app


@transaction.atomic
def application_set_parties(
    *, actor, application: Application, parties: list[tuple[int, str]]
) -> Application:
    """Name the parties, by client id and role, from the actor's own client book only."""
    app = lock_application(application)
    _must_own_draft(actor, app)
    named = _set_parties(actor, app, parties)
    audit_record(actor=actor, action="application.set_parties", obj=app, changes={"parties": named})
    return app


def _set_parties(actor, app: Application, parties: list[tuple[int, str]]) -> list[list]:
    """Replace a locked draft's parties (the caller audits); returns them as recorded."""
    ids = {client_id for client_id, _role in parties}
    book = {c.pk: c for c in client_list_for(actor).filter(pk__in=ids)}
    errors = []
    for client_id, role in parties:
        client = book.get(client_id)
        if client is None:
            errors.append(_("Client %(id)s is not in your client book.") % {"id": client_id})
        elif role not in PartyRole.values:
            errors.append(_("Unknown party role %(role)s.") % {"role": role})
        elif client.roles and role not in client.roles:
            errors.append(
                _("%(client)s is not recorded as a possible %(role)s.")
                % {"client": client, "role": PartyRole(role).label}
            )
    if errors:
        raise DomainError(" ".join(errors), field_errors={"parties": errors})
    app.parties.all().delete()
    ApplicationParty.objects.bulk_create(
        ApplicationParty(application=app, client_id=client_id, role=role)
        for client_id, role in dict.fromkeys(parties)
    )
    return [[cid, role] for cid, role in parties]


@transaction.atomic
def document_add(*, actor, application: Application, kind: str, upload) -> Document:
    app = lock_application(application)
    if not permissions.owns(actor, app):
        raise PermissionDeniedError(_("Only your company's staff can add documents."))
    if app.status not in (ApplicationStatus.DRAFT, ApplicationStatus.INFORMATION_REQUESTED):
        raise DomainError(_("Documents can be added to a draft or to an answer to a request."))
    doc = _store_document(actor, app, kind, upload)
    audit_record(
        actor=actor,
        action="document.add",
        obj=doc,
        changes={"application": app.pk, **_document_summary(doc)},
    )
    return doc


def _document_summary(doc: Document) -> dict:
    return {"kind": doc.kind, "sha256": doc.sha256, "size": doc.size}


def _store_document(actor, app: Application, kind: str, upload) -> Document:
    """Check an upload by its content and store it on a locked application (the caller audits)."""
    if kind not in DocumentKind.values:
        raise DomainError(
            _("Choose the kind of document."),
            field_errors={"kind": [_("Choose the kind of document.")]},
        )
    checked = documents.check_upload(upload)
    return Document.objects.create(
        application=app,
        kind=kind,
        file=checked.content,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )


@transaction.atomic
def document_remove(*, actor, document: Document) -> None:
    app = lock_application(document.application_id)
    _must_own_draft(actor, app)
    audit_record(
        actor=actor,
        action="document.remove",
        obj=document,
        changes={"application": app.pk, "sha256": document.sha256},
    )
    document.file.delete(save=False)
    document.delete()


def completeness_problems(app: Application) -> list[str]:
    """Every missing piece at once: most real delays come from incomplete submissions."""
    problems: list[str] = []
    required = {
        "contract_number": _("the contract number"),
        "contract_date": _("the contract date"),
        "trade_mode": _("the trade mode"),
        "payment_method": _("the payment method"),
        "transport_mode": _("the transport mode"),
        "port_of_exit": _("the port of exit"),
        "destination_country": _("the destination country"),
        "final_destination": _("the final destination"),
        "end_use": _("the end use"),
        "end_use_sector": _("the end-use sector"),
    }
    for name, label in required.items():
        if not getattr(app, name):
            problems.append(_("Give %(what)s.") % {"what": label})
    if app.contract_date and app.contract_date > timezone.localdate():
        problems.append(_("The contract date is in the future."))
    lines = list(app.lines.all())
    if not lines:
        problems.append(_("Add at least one line item."))
    for line in lines:
        if not line.hs_code or len(line.hs_code) != 10 or not line.hs_code.isdigit():
            problems.append(_("Line %(n)d: give the 10-digit HS code.") % {"n": line.position})
        if line.catalogue_entry_id is None:
            problems.append(_("Line %(n)d: choose the controlled item.") % {"n": line.position})
        if not line.form:
            problems.append(_("Line %(n)d: give the form.") % {"n": line.position})
    roles = {p.role for p in app.parties.all()}
    for role in REQUIRED_PARTY_ROLES:
        if role not in roles:
            problems.append(_("Name the %(role)s.") % {"role": PartyRole(role).label.lower()})
    kinds = {d.kind for d in app.documents.all()}
    wanted = list(REQUIRED_DOCUMENTS)
    if app.licence_type == LicenceType.GENERAL:
        wanted.append(DocumentKind.COMPLIANCE_PROGRAMME)
    for kind in wanted:
        if kind not in kinds:
            problems.append(_("Attach the %(doc)s.") % {"doc": DocumentKind(kind).label.lower()})
    return problems


def _mark_controlled_lines(app: Application, on: date) -> list[int]:
    """Check each line against the catalogue in force on the submission date; return the
    positions of lines whose item is not controlled that day (flagged for the reviewer)."""
    in_force = set(catalogue_in_force(on).values_list("pk", flat=True))
    lines = list(app.lines.all())
    for line in lines:
        line.controlled_on_submission = line.catalogue_entry_id in in_force
    ApplicationLine.objects.bulk_update(lines, ["controlled_on_submission"])
    return [line.position for line in lines if not line.controlled_on_submission]


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submission = acceptance when complete: the review clock starts today (day 0)."""
    app = lock_application(application)
    transition = check_transition(app, "submit", actor)
    problems = completeness_problems(app)
    if problems:
        raise DomainError(
            _("The application is not complete: %(n)d things are missing.") % {"n": len(problems)},
            field_errors={"__all__": problems},
        )
    today = timezone.localdate()
    flagged = _mark_controlled_lines(app, today)
    move(
        app,
        transition,
        actor,
        fields={"submitted_at": timezone.now(), "accepted_on": today},
        audit_changes={"uncontrolled_lines": flagged},
    )
    notify.application_changed(app, "submit", actor)
    return app


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str) -> Application:
    app = lock_application(application)
    transition = check_transition(app, "withdraw", actor, reason)
    move(app, transition, actor, reason=reason)
    notify.application_changed(app, "withdraw", actor)
    return app


@transaction.atomic
def application_copy(*, actor, application: Application) -> Application:
    """A new draft with the same header, lines and parties (documents are not copied)."""
    if not permissions.owns(actor, application):
        raise PermissionDeniedError(_("Only your company's staff can copy its applications."))
    source = application
    lines = list(source.lines.all())
    copy = Application.objects.create(
        organisation_id=source.organisation_id,
        created_by=actor,
        copied_from=source,
        catalogue_entry_ids=catalogue_entry_ids(lines),
        **{name: getattr(source, name) for name in HEADER_FIELDS},
    )
    ApplicationLine.objects.bulk_create(
        ApplicationLine(
            application=copy, position=line.position, **{k: getattr(line, k) for k in LINE_FIELDS}
        )
        for line in lines
    )
    ApplicationParty.objects.bulk_create(
        ApplicationParty(application=copy, client_id=p.client_id, role=p.role)
        for p in source.parties.all()
    )
    audit_record(actor=actor, action="application.copy", obj=copy, changes={"from": source.pk})
    return copy
