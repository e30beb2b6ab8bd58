"""Who may report, read and review transactions: shared by views, API and services."""

from apps.core.roles import AUTHORITY_ROLES, Role, has_role, is_producer


def _verified_member(user) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.organisation.is_verified


def can_report(user) -> bool:
    """Staff and administrators of a verified producer report their company's shipments."""
    return bool(user and user.is_authenticated and is_producer(user) and _verified_member(user))


def can_view_all(user) -> bool:
    """Officials, auditors and administrators read every company's reports."""
    return bool(user and user.is_authenticated and has_role(user, *AUTHORITY_ROLES))


def can_view_report(user, report) -> bool:
    if can_view_all(user):
        return True
    return can_report(user) and report.organisation_id == user.membership.organisation_id


def can_cancel_report(user, report) -> bool:
    """The reporting company; whether the report is still accepted is the service's CAS."""
    return can_report(user) and report.organisation_id == user.membership.organisation_id


def can_review(user) -> bool:
    return has_role(user, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)
