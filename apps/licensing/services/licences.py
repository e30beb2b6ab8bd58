"""Licences: issue with a gapless number per year, their own transitions, amendments."""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.licensing import notify, permissions, workflow
from apps.licensing.models import (
    Amendment,
    Application,
    Licence,
    LicenceLine,
    LicenceNumberSequence,
    LicenceTransition,
    LicenceType,
)
from apps.licensing.services._common import actor_label

AMENDABLE_FIELDS = {"port_of_exit", "transport_mode", "valid_until"}
KEY_FIELDS = {"lines", "destination_country", "end_user", "end_use"}
VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _next_number(year: int) -> str:
    """RT-<year>-<serial>, gapless per year: the year's row is locked until our commit, so a
    rolled-back approval gives its number back."""
    LicenceNumberSequence.objects.bulk_create(
        [LicenceNumberSequence(year=year, last_number=0)], ignore_conflicts=True
    )
    sequence = LicenceNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"RT-{year}-{sequence.last_number:06d}"


def max_validity(licence_type: str, issued_on: date) -> date:
    years = settings.LICENSING_VALIDITY_YEARS[licence_type]
    try:
        return issued_on.replace(year=issued_on.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return issued_on.replace(year=issued_on.year + years, day=28)


def licence_issue(
    *, actor, application: Application, lines, valid_until: date | None = None
) -> Licence:
    """Called by the approval, inside its transaction: the licence and its line balances.

    Records no audit event of its own: the approval's one event (`application.approve`) names the
    licence, its number and validity.
    """
    issued_on = timezone.localdate()
    longest = max_validity(application.licence_type, issued_on)
    valid_until = valid_until or longest
    if valid_until > longest or valid_until < issued_on:
        raise DomainError(
            _("A %(type)s licence is valid from today up to %(date)s.")
            % {"type": LicenceType(application.licence_type).label.lower(), "date": longest},
            field_errors={"valid_until": [_("Choose a date up to %(date)s.") % {"date": longest}]},
        )
    licence = Licence.objects.create(
        number=_next_number(issued_on.year),
        application=application,
        organisation_id=application.organisation_id,
        licence_type=application.licence_type,
        issued_on=issued_on,
        valid_until=valid_until,
        conditions=application.conditions,
        destination_country=application.destination_country,
        port_of_exit=application.port_of_exit,
        transport_mode=application.transport_mode,
        verification_code="".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(10)),
        issued_by=actor,
    )
    LicenceLine.objects.bulk_create(
        LicenceLine(
            licence=licence,
            application_line=line,
            catalogue_entry_id=line.catalogue_entry_id,
            form=line.form,
            hs_code=line.hs_code,
            quantity_granted=line.approved_quantity,
            unit=line.unit,
            balance=line.approved_quantity,
        )
        for line in lines
        if line.approved_quantity and line.approved_quantity > 0
    )
    LicenceTransition.objects.create(
        licence=licence,
        action="issue",
        to_status=licence.status,
        actor=actor,
        actor_label=actor_label(actor),
    )
    return licence


@transaction.atomic
def licence_transition(
    *, actor, licence: Licence, action: str, reason: str = "", audit: bool = True
) -> Licence:
    """Suspend, reinstate, revoke (approvers), surrender (holder); expire / exhaust (system).

    `audit=False` only for a caller whose own one event records the transition (a transaction
    report that uses the licence up names it in `transaction.report`).
    """
    locked = Licence.objects.select_for_update().get(pk=licence.pk)
    kinds = {"system"} if actor is None else permissions.licence_actor_kinds(actor, locked)
    try:
        transition = workflow.check(
            workflow.LICENCE_TRANSITIONS, action, locked.status, kinds, reason
        )
    except workflow.TransitionRefused as refused:
        if refused.code == "wrong_state":
            raise ConflictError(refused.message) from None
        if refused.code == "not_allowed":
            raise PermissionDeniedError(refused.message) from None
        raise DomainError(refused.message, field_errors={"reason": [refused.message]}) from None
    before = locked.status
    locked.status = transition.target
    locked.save(update_fields=["status"])
    LicenceTransition.objects.create(
        licence=locked,
        action=action,
        from_status=before,
        to_status=transition.target,
        actor=actor,
        actor_label=actor_label(actor),
        reason=reason.strip(),
    )
    if audit:
        audit_record(
            actor=actor,
            action=f"licence.{action}",
            obj=locked,
            actor_label=None if actor else "system",
            changes={"status": [before, transition.target], "reason": reason.strip()},
        )
    notify.licence_changed(locked, action, actor)
    return locked


def licences_expire_due(*, today: date | None = None, batch_size: int = 200) -> int:
    """Expire every active or suspended licence past its validity (idempotent, in batches)."""
    today = today or timezone.localdate()
    expired = 0
    while True:
        ids = list(
            Licence.objects.filter(
                status__in=["active", "suspended"], valid_until__lt=today
            ).values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return expired
        for pk in ids:
            try:
                licence_transition(actor=None, licence=Licence(pk=pk), action="expire")
                expired += 1
            except ConflictError:
                continue


@transaction.atomic
def amendment_request(*, actor, licence: Licence, changes: dict, justification: str) -> Amendment:
    """The holder asks to change a non-key element; a key element needs a new application."""
    locked = Licence.objects.select_for_update().get(pk=licence.pk)
    if "producer" not in permissions.licence_actor_kinds(actor, locked):
        raise PermissionDeniedError(_("Only the holder can request an amendment."))
    if locked.status not in ("active", "suspended"):
        raise ConflictError(_("Only an active or suspended licence can be amended."))
    key = set(changes) & KEY_FIELDS
    if key:
        raise DomainError(
            _("A change of item, destination, end user or end use needs a new application."),
            field_errors={"changes": sorted(key)},
        )
    unknown = set(changes) - AMENDABLE_FIELDS
    if unknown or not changes:
        raise DomainError(
            _("Choose what to change: port of exit, transport mode or validity."),
            field_errors={"changes": sorted(unknown)},
        )
    if "valid_until" in changes:
        longest = max_validity(locked.licence_type, locked.issued_on)
        if not (locked.issued_on <= changes["valid_until"] <= longest):
            raise DomainError(
                _("The validity can run up to %(date)s.") % {"date": longest},
                field_errors={"valid_until": [str(longest)]},
            )
    if not justification.strip():
        raise DomainError(_("Explain why."), field_errors={"justification": [_("Required.")]})
    if locked.amendments.filter(status=Amendment.Status.REQUESTED).exists():
        raise ConflictError(_("An amendment of this licence is already waiting for a decision."))
    diff = {k: [str(getattr(locked, k)), str(v)] for k, v in changes.items()}
    amendment = Amendment.objects.create(
        licence=locked,
        requested_by=actor,
        requested_on=timezone.localdate(),
        changes=diff,
        justification=justification.strip(),
    )
    audit_record(actor=actor, action="amendment.request", obj=amendment, changes=diff)
    notify.licence_changed(locked, "amendment_request", actor)
    return amendment


@transaction.atomic
def amendment_decide(*, actor, amendment: Amendment, grant: bool, reason: str) -> Amendment:
    locked = Amendment.objects.select_for_update().select_related("licence").get(pk=amendment.pk)
    if "approver" not in permissions.licence_actor_kinds(actor, locked.licence):
        raise PermissionDeniedError(_("Only an approver not linked to the company decides."))
    if locked.status != Amendment.Status.REQUESTED:
        raise ConflictError(_("This amendment was already decided."))
    if not reason.strip():
        raise DomainError(_("Give a reason."), field_errors={"reason": [_("Required.")]})
    locked.status = Amendment.Status.GRANTED if grant else Amendment.Status.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if grant:
        licence = Licence.objects.select_for_update().get(pk=locked.licence_id)
        for field, (_old, new) in locked.changes.items():
            setattr(licence, field, date.fromisoformat(new) if field == "valid_until" else new)
        licence.save(update_fields=list(locked.changes))
    audit_record(
        actor=actor,
        action="amendment.grant" if grant else "amendment.refuse",
        obj=locked,
        changes={"reason": reason.strip(), **locked.changes},
    )
    notify.licence_changed(locked.licence, "amendment_decision", actor)
    return locked
