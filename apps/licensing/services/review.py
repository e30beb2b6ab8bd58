"""Officials' writes: taking and assigning cases, requests for information, recommendation,
decision, fast track, notes; and the producer's answer to a request."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.core.roles import Role, has_role
from apps.licensing import clock, notify, permissions
from apps.licensing.models import (
    Application,
    ApplicationLine,
    DocumentKind,
    InformationRequest,
    InternalNote,
    Recommendation,
)
from apps.licensing.services._common import check_transition, lock_application, move
from apps.licensing.services.applications import _document_summary, _store_document
from apps.licensing.services.licences import licence_issue
from apps.licensing.workflow import OPEN_APPLICATION_STATES, ApplicationStatus
from apps.workcalendar.selectors import work_calendar


@transaction.atomic
def application_take(*, actor, application: Application) -> Application:
    """A reviewer takes a submitted case from the queue."""
    app = lock_application(application)
    transition = check_transition(app, "take", actor)
    move(app, transition, actor, fields={"assigned_reviewer": actor})
    notify.application_changed(app, "take", actor)
    return app


@transaction.atomic
def application_assign(*, actor, application: Application, reviewer: User) -> Application:
    """A supervisor assigns (or reassigns) a case to a reviewer who is not linked to the company.

    `actor=None` is the system (the chase for cases nobody took): it may only assign a case still
    waiting in the queue, so a sweep running late never takes a case away from its reviewer.
    """
    app = lock_application(application)
    transition = check_transition(app, "assign", actor)
    if actor is None and (app.status != ApplicationStatus.SUBMITTED or app.assigned_reviewer_id):
        raise ConflictError(
            _("%(ref)s was taken meanwhile; the system never reassigns a case.")
            % {"ref": app.reference}
        )
    if not has_role(reviewer, Role.REVIEWER) or not reviewer.is_active:
        raise DomainError(
            _("%(name)s is not an active reviewer.") % {"name": reviewer},
            field_errors={"reviewer": [_("Choose an active reviewer.")]},
        )
    if permissions.is_linked(reviewer, app.organisation_id):
        raise DomainError(
            _("%(name)s is linked to this company and cannot review its cases.")
            % {"name": reviewer},
            field_errors={"reviewer": [_("Conflict of interest.")]},
        )
    if app.assigned_reviewer_id == reviewer.pk:
        return app
    move(
        app,
        transition,
        actor,
        fields={"assigned_reviewer": reviewer},
        audit_changes={"assigned_reviewer": [app.assigned_reviewer_id, reviewer.pk]},
    )
    notify.application_changed(app, "assign", actor)
    return app


@transaction.atomic
def rfi_raise(*, actor, application: Application, question: str) -> InformationRequest:
    """Ask the producer for information; the review clock stops until the answer."""
    app = lock_application(application)
    transition = check_transition(app, "request_information", actor)
    if not question.strip():
        raise DomainError(_("Write the question."), field_errors={"question": [_("Required.")]})
    today = timezone.localdate()
    due = work_calendar().add_working_days(today, settings.LICENSING_RFI_DAYS)
    rfi = InformationRequest.objects.create(
        application=app, question=question.strip(), raised_by=actor, raised_on=today, due_on=due
    )
    # One event for the call: the transition's event names the request and its due date.
    move(app, transition, actor, reason=question, audit_changes={"rfi": rfi.pk, "due_on": due})
    notify.application_changed(app, "request_information", actor)
    return rfi


@transaction.atomic
def rfi_answer(
    *, actor, application: Application, answer: str, attachments=()
) -> InformationRequest:
    """The producer answers the open request, with documents if any; the clock runs again from
    today. One audit event names the answer and every attached document."""
    app = lock_application(application)
    transition = check_transition(app, "answer_information", actor)
    if not answer.strip():
        raise DomainError(_("Write your answer."), field_errors={"answer": [_("Required.")]})
    attached = [
        _store_document(actor, app, DocumentKind.RFI_ANSWER, upload) for upload in attachments
    ]
    rfi = app.information_requests.select_for_update().get(status=InformationRequest.Status.OPEN)
    rfi.status = InformationRequest.Status.ANSWERED
    rfi.answer = answer.strip()
    rfi.answered_by = actor
    rfi.answered_at = timezone.now()
    rfi.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    changes = {"rfi": rfi.pk, "answer_length": len(rfi.answer)}
    if attached:
        changes["attachments"] = [{"document": d.pk, **_document_summary(d)} for d in attached]
    move(app, transition, actor, audit_changes=changes)
    notify.application_changed(app, "answer_information", actor)
    return rfi


@transaction.atomic
def application_close_lapsed(*, actor, application: Application, reason: str) -> Application:
    """Close a case whose request for information went unanswered past its due date."""
    app = lock_application(application)
    transition = check_transition(app, "close_lapsed", actor, reason)
    rfi = app.information_requests.select_for_update().get(status=InformationRequest.Status.OPEN)
    if rfi.due_on >= timezone.localdate():
        raise DomainError(_("The producer has until %(date)s to answer.") % {"date": rfi.due_on})
    rfi.status = InformationRequest.Status.LAPSED
    rfi.save(update_fields=["status"])
    move(app, transition, actor, reason=reason, fields={"decided_at": timezone.now()})
    notify.application_changed(app, "close_lapsed", actor)
    return app


@transaction.atomic
def application_recommend(
    *, actor, application: Application, recommendation: str, reasons: str
) -> Application:
    app = lock_application(application)
    transition = check_transition(app, "recommend", actor)
    if recommendation not in Recommendation.values:
        raise DomainError(
            _("Recommend approve or deny."),
            field_errors={"recommendation": [_("Choose approve or deny.")]},
        )
    if not reasons.strip():
        raise DomainError(
            _("Give the reasons for your recommendation."),
            field_errors={"reasons": [_("Required.")]},
        )
    move(
        app,
        transition,
        actor,
        reason=reasons,
        fields={
            "reviewed_by": actor,
            "recommendation": recommendation,
            "recommendation_reasons": reasons.strip(),
        },
        audit_changes={"recommendation": recommendation},
    )
    notify.application_changed(app, "recommend", actor)
    return app


@transaction.atomic
def application_send_back(*, actor, application: Application, reason: str) -> Application:
    app = lock_application(application)
    transition = check_transition(app, "send_back", actor, reason)
    move(
        app,
        transition,
        actor,
        reason=reason,
        fields={"recommendation": "", "recommendation_reasons": ""},
    )
    notify.application_changed(app, "send_back", actor)
    return app


@transaction.atomic
def application_decide(
    *,
    actor,
    application: Application,
    decision: str,
    reasons: str = "",
    conditions: str = "",
    approved_quantities: dict[int, Decimal] | None = None,
    valid_until=None,
):
    """Approve (fully or partly, with conditions; issues the licence) or deny a reviewed case.

    Never by the case's reviewer, never by an official linked to the company (four-eyes): the
    workflow table only offers "approve"/"deny" to an approver who is neither.
    """
    if decision not in ("approve", "deny"):
        raise DomainError(_("Decide approve or deny."), field_errors={"decision": [_("Required.")]})
    app = lock_application(application)
    transition = check_transition(app, decision, actor, reasons)
    now = timezone.now()
    if decision == "deny":
        move(
            app,
            transition,
            actor,
            reason=reasons,
            fields={"decided_by": actor, "decided_at": now, "decision_reasons": reasons.strip()},
        )
        notify.application_changed(app, "deny", actor)
        return app, None
    lines = list(app.lines.select_for_update().order_by("position"))
    granted = _granted_quantities(lines, approved_quantities)
    if not any(q > 0 for q in granted.values()):
        raise DomainError(
            _("Nothing would be granted: deny the application instead."),
            field_errors={"approved_quantities": [_("Grant at least one line.")]},
        )
    for line in lines:
        line.approved_quantity = granted[line.pk]
    ApplicationLine.objects.bulk_update(lines, ["approved_quantity"])
    partial = any(granted[line.pk] < line.quantity for line in lines)
    app.conditions = conditions.strip()  # the licence carries them
    licence = licence_issue(actor=actor, application=app, lines=lines, valid_until=valid_until)
    move(
        app,
        transition,
        actor,
        reason=reasons,
        fields={
            "decided_by": actor,
            "decided_at": now,
            "decision_reasons": reasons.strip(),
            "conditions": conditions.strip(),
        },
        audit_changes={
            "partial": partial,
            "granted": {line.position: str(granted[line.pk]) for line in lines},
            "licence": licence.number,
            "licence_id": licence.pk,
            "valid_until": licence.valid_until,
        },
    )
    notify.application_changed(app, "approve", actor)
    return app, licence


def _granted_quantities(lines, approved) -> dict[int, Decimal]:
    if approved is None:
        return {line.pk: line.quantity for line in lines}
    result = {}
    for line in lines:
        value = approved.get(line.pk, line.quantity)
        quantity = Decimal(value)
        if quantity < 0 or quantity > line.quantity:
            message = _("Line %(n)d: grant between 0 and the %(q)s %(unit)s asked for.") % {
                "n": line.position,
                "q": line.quantity.normalize(),
                "unit": line.unit,
            }
            raise DomainError(message, field_errors={f"line_{line.pk}": [message]})
        result[line.pk] = quantity
    return result


@transaction.atomic
def application_set_fast_track(
    *, actor, application: Application, fast_track: bool, reason: str
) -> Application:
    """Officials (never the applicant) put a case of a trusted end user on the shorter clock."""
    app = lock_application(application)
    if not permissions.can_mark_fast_track(actor, app):
        raise PermissionDeniedError(_("Only officials handling the case can change its track."))
    if app.status not in OPEN_APPLICATION_STATES:
        raise DomainError(_("The track of a closed case cannot change."))
    if fast_track and not reason.strip():
        raise DomainError(
            _("Name the trusted end user or the reason."), field_errors={"reason": [_("Required.")]}
        )
    if app.fast_track == fast_track:
        return app
    app.fast_track = fast_track
    app.fast_track_reason = reason.strip()
    derived = clock.derived_fields(app, list(app.transitions.all()))
    for name, value in derived.items():
        setattr(app, name, value)
    app.save(update_fields=["fast_track", "fast_track_reason", *derived, "updated_at"])
    audit_record(
        actor=actor,
        action="application.set_fast_track",
        obj=app,
        changes={"fast_track": [not fast_track, fast_track], "reason": reason.strip()},
    )
    return app


@transaction.atomic
def note_add(*, actor, application: Application, body: str) -> InternalNote:
    if not has_role(actor, Role.REVIEWER, Role.APPROVER):
        raise PermissionDeniedError(_("Only reviewers and approvers write case notes."))
    if permissions.is_linked(actor, application.organisation_id):
        raise PermissionDeniedError(_("You are linked to this company."))
    if not body.strip():
        raise DomainError(_("The note is empty."), field_errors={"body": [_("Required.")]})
    note = InternalNote.objects.create(application=application, author=actor, body=body.strip())
    audit_record(actor=actor, action="note.add", obj=note, changes={"application": application.pk})
    return note


def applications_recompute_clocks(*, batch_size: int = 500) -> int:
    """Rewrite the derived clock of every open case (after the calendar or the limits changed).

    Idempotent and safe to repeat; each batch is its own transaction.
    """
    calendar = work_calendar()
    ids = list(
        Application.objects.filter(status__in=OPEN_APPLICATION_STATES).values_list("pk", flat=True)
    )
    changed = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            batch = (
                Application.objects.select_for_update()
                .filter(pk__in=ids[start : start + batch_size])
                .prefetch_related("transitions")
            )
            for app in batch:
                derived = clock.derived_fields(app, list(app.transitions.all()), calendar)
                if any(getattr(app, k) != v for k, v in derived.items()):
                    for name, value in derived.items():
                        setattr(app, name, value)
                    app.save(update_fields=list(derived))
                    changed += 1
    with transaction.atomic():
        audit_record(
            actor=None,
            action="applications.recompute_clocks",
            actor_label="system",
            changes={"open_cases": len(ids), "changed": changed},
        )
    return changed
