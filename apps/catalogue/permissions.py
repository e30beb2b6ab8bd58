"""Who may see and edit the catalogue pages. The in-force lookups (selectors) are for every caller:
the catalogue is published reference data that applications are checked against."""

from apps.core.roles import Role, has_role


def can_view_catalogue(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR, Role.REVIEWER, Role.APPROVER, Role.AUDITOR)


def can_edit_catalogue(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)
