"""Who may see and edit the calendar administration pages (the arithmetic itself is for all)."""

from apps.core.roles import Role, has_role


def can_view_calendar(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR, Role.REVIEWER, Role.APPROVER, Role.AUDITOR)


def can_edit_calendar(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)
