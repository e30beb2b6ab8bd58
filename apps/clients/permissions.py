"""Who may do what with client books, entities, lists and hits: shared by views, API, services."""

from apps.core.roles import Role, has_role, is_producer

OFFICIALS = (Role.REVIEWER, Role.APPROVER)
AUTHORITY_READERS = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)


def _verified_member(user) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.organisation.is_verified


def can_keep_client_book(user) -> bool:
    """Producer staff and administrators of a verified company keep its client book."""
    return is_producer(user) and _verified_member(user)


def can_change_client(user, client) -> bool:
    return (
        can_keep_client_book(user)
        and client.organisation_id == user.membership.organisation_id
        and client.archived_at is None
    )


def can_view_entities(user) -> bool:
    return has_role(user, *AUTHORITY_READERS)


def can_relink_entities(user) -> bool:
    return has_role(user, *OFFICIALS)


def can_view_hits(user) -> bool:
    return has_role(user, *AUTHORITY_READERS)


def can_decide_hits(user) -> bool:
    return has_role(user, *OFFICIALS)


def can_view_lists(user) -> bool:
    return has_role(user, *AUTHORITY_READERS)


def can_manage_lists(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)
