"""Who may read the audit trail and take records away."""

from apps.core.roles import Role, has_role


def can_read_audit(user) -> bool:
    return has_role(user, Role.AUDITOR, Role.ADMINISTRATOR)


def can_export(user) -> bool:
    return has_role(user, Role.AUDITOR, Role.ADMINISTRATOR)


def can_download(user, job) -> bool:
    """Only the person who asked: the file leaves the portal in their name (their audit event)."""
    return can_export(user) and job.requested_by_id == user.pk
