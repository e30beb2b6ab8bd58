"""Who may see the chasing board and act on its failures."""

from apps.core.roles import Role, has_role

BOARD_ROLES = (Role.APPROVER, Role.ADMINISTRATOR, Role.AUDITOR)


def can_view_board(user) -> bool:
    """Supervisors (approvers, administrators) and auditors see what is chased and what failed."""
    return has_role(user, *BOARD_ROLES)


def can_requeue_failures(user) -> bool:
    """Only administrators retry failed e-mails and messages (auditors change nothing)."""
    return has_role(user, Role.ADMINISTRATOR)
