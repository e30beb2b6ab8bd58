"""Reviewers decide screening hits: confirm (the client is the listed party) or dismiss."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.clients import permissions, screening
from apps.clients.models import ScreeningHit
from apps.clients.workflow import hit_target
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError


@transaction.atomic
def hit_decide(*, actor, hit: ScreeningHit, action: str, reason: str) -> ScreeningHit:
    """Confirm or dismiss a hit with a reason. The same decision twice is a no-op.

    A dismissal holds while the hit's fingerprint (client, owners, list entry) is unchanged; the
    screening reopens the hit when any of them changes.
    """
    if not permissions.can_decide_hits(actor):
        raise PermissionDeniedError(_("Only reviewers and approvers decide screening hits."))
    locked = ScreeningHit.objects.select_for_update().get(pk=hit.pk)
    target = hit_target(action, locked.status)
    if target is None:
        if action in ("confirm", "dismiss") and locked.status == {
            "confirm": ScreeningHit.Status.CONFIRMED,
            "dismiss": ScreeningHit.Status.DISMISSED,
        }.get(action):
            return locked
        raise ConflictError(
            _("This hit is %(status)s; it cannot be %(action)sed now.")
            % {"status": locked.get_status_display().lower(), "action": action}
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for your decision."),
            field_errors={"reason": [_("A reason is required.")]},
        )
    before = locked.status
    locked.status, locked.reason = target, reason
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
    screening.refresh_status([locked.client_id])
    audit_record(
        actor=actor,
        action=f"screening_hit.{action}",
        obj=locked,
        changes={"status": [before, target], "reason": reason, "score": locked.score},
    )
    return locked
