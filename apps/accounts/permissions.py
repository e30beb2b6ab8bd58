"""Predicates shared by views, API and services: one answer to "may this user do that?"."""

from apps.core.roles import Role, has_role


def _verified_member(user) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.organisation.is_verified


def can_manage_team(user) -> bool:
    return has_role(user, Role.PRODUCER_ADMIN) and _verified_member(user)


def can_manage_member(user, member) -> bool:
    if not can_manage_team(user):
        return False
    membership = getattr(member, "membership", None)
    return membership is not None and membership.organisation_id == user.membership.organisation_id


def can_verify_organisations(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def can_manage_officials(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def can_view_organisations(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR, Role.REVIEWER, Role.APPROVER, Role.AUDITOR)
