"""The one place where an application changes state: lock, check the table, write, record."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.licensing import clock, permissions, workflow
from apps.licensing.models import Application, ApplicationTransition


def lock_application(application: Application | int) -> Application:
    pk = application.pk if isinstance(application, Application) else application
    return Application.objects.select_for_update().select_related("organisation").get(pk=pk)


def check_transition(app: Application, action: str, actor, reason: str = "") -> workflow.Transition:
    kinds = {"system"} if actor is None else permissions.application_actor_kinds(actor, app)
    try:
        return workflow.check(workflow.APPLICATION_TRANSITIONS, action, app.status, kinds, reason)
    except workflow.TransitionRefused as refused:
        if refused.code == "wrong_state":
            raise ConflictError(refused.message) from None
        if refused.code == "not_allowed":
            raise PermissionDeniedError(refused.message) from None
        raise DomainError(refused.message, field_errors={"reason": [refused.message]}) from None


def actor_label(actor) -> str:
    return actor.email if actor is not None else "system"


def move(
    app: Application,
    transition: workflow.Transition,
    actor,
    *,
    reason: str = "",
    fields: dict | None = None,
    audit_changes: dict | None = None,
) -> ApplicationTransition:
    """Write the new status (and `fields`), a history row, the derived clock and one audit event."""
    before = app.status
    updates = dict(fields or {})
    updates["status"] = transition.target
    for name, value in updates.items():
        setattr(app, name, value)
    row = ApplicationTransition.objects.create(
        application=app,
        action=transition.action,
        from_status=before,
        to_status=transition.target,
        actor=actor,
        actor_label=actor_label(actor),
        reason=reason.strip(),
        occurred_on=timezone.localdate(),
    )
    derived = clock.derived_fields(app, list(app.transitions.all()))
    for name, value in derived.items():
        setattr(app, name, value)
    app.save(update_fields=[*updates, *derived, "updated_at"])
    audit_record(
        actor=actor,
        action=f"application.{transition.action}",
        obj=app,
        actor_label=None if actor is not None else "system",
        changes={
            "status": [before, transition.target],
            **({"reason": reason.strip()} if reason.strip() else {}),
            **(audit_changes or {}),
        },
    )
    return row


def refuse(message: str, field: str | None = None):
    raise DomainError(message, field_errors={field: [message]} if field else None)


__all__ = ["_", "actor_label", "check_transition", "lock_application", "move", "refuse"]
