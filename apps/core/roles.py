"""Roles are Django groups; this module is the one place that says what each role may do.

Views, API and services ask the helpers here (never group names directly), so a role can be
re-shaped in one spot.
"""

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PRODUCER_ADMIN = "producer_admin", _("Producer administrator")
    PRODUCER_STAFF = "producer_staff", _("Producer staff")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


PRODUCER_ROLES = frozenset({Role.PRODUCER_ADMIN, Role.PRODUCER_STAFF})
OFFICIAL_ROLES = frozenset({Role.REVIEWER, Role.APPROVER})
AUTHORITY_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR})

# The control catalogue and the working-day calendar: officials and auditors read them.
REFERENCE_VIEW = [
    "catalogue.view_catalogueentry",
    "workcalendar.view_calendaryear",
    "workcalendar.view_calendarday",
]

# Clients app: producers keep their own book (company scope is a foreign-key filter); officials
# read entities, lists and hits, reviewers and approvers decide hits, administrators keep the lists.
CLIENT_BOOK_PERMISSIONS = ["clients.view_client", "clients.add_client", "clients.change_client"]
SCREENING_READER_PERMISSIONS = [
    "clients.view_cliententity",
    "clients.view_screeninghit",
    "clients.view_listentry",
]
SCREENING_DECIDER_PERMISSIONS = [
    *SCREENING_READER_PERMISSIONS,
    "clients.change_screeninghit",
    "clients.change_cliententity",
]

# Model permissions per role group ("app_label.codename"). Per-object grants (a case assigned to an
# official) are django-guardian's; company scope is a foreign-key filter in the selectors.
GROUP_PERMISSIONS: dict[Role, list[str]] = {
    Role.PRODUCER_ADMIN: [
        "accounts.invite_member",
        "accounts.deactivate_member",
        *CLIENT_BOOK_PERMISSIONS,
    ],
    Role.PRODUCER_STAFF: [*CLIENT_BOOK_PERMISSIONS],
    Role.REVIEWER: ["accounts.view_organisation", *REFERENCE_VIEW, *SCREENING_DECIDER_PERMISSIONS],
    Role.APPROVER: ["accounts.view_organisation", *REFERENCE_VIEW, *SCREENING_DECIDER_PERMISSIONS],
    Role.AUDITOR: [
        "accounts.view_organisation",
        "accounts.view_user",
        "audit.view_auditevent",
        *REFERENCE_VIEW,
        *SCREENING_READER_PERMISSIONS,
    ],
    Role.ADMINISTRATOR: [
        "accounts.view_organisation",
        "accounts.change_organisation",
        "accounts.verify_organisation",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_membership",
        "accounts.change_membership",
        "accounts.view_invitation",
        "accounts.view_apitoken",
        "audit.view_auditevent",
        *REFERENCE_VIEW,
        "catalogue.add_catalogueentry",
        "catalogue.change_catalogueentry",
        "workcalendar.add_calendaryear",
        "workcalendar.change_calendaryear",
        "workcalendar.add_calendarday",
        "workcalendar.delete_calendarday",
        *SCREENING_READER_PERMISSIONS,
        "clients.add_listentry",
        "clients.change_listentry",
    ],
}


def user_roles(user) -> frozenset[Role]:
    """The roles of a user, read once per request object and cached on it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_raretrack_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._raretrack_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def is_producer(user) -> bool:
    return bool(user_roles(user) & PRODUCER_ROLES)


def is_official(user) -> bool:
    return bool(user_roles(user) & OFFICIAL_ROLES)


def is_authority(user) -> bool:
    return bool(user_roles(user) & AUTHORITY_ROLES)


def primary_role(user) -> Role | None:
    """The role whose home page a user lands on (the first in the declaration order)."""
    roles = user_roles(user)
    return next((role for role in Role if role in roles), None)


def forget_roles(user) -> None:
    if hasattr(user, "_raretrack_roles"):
        del user._raretrack_roles


def sync_role_groups(sender=None, using: str = "default", **kwargs) -> None:
    """Create one group per role with exactly its permissions (idempotent, runs after migrate)."""
    from django.contrib.auth.models import Group, Permission

    wanted = {role: _split(codes) for role, codes in GROUP_PERMISSIONS.items()}
    for role, pairs in wanted.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        perms = (
            [
                p
                for p in Permission.objects.using(using).select_related("content_type")
                if (p.content_type.app_label, p.codename) in pairs
            ]
            if pairs
            else []
        )
        group.permissions.set(perms)


def _split(codes: Iterable[str]) -> set[tuple[str, str]]:
    return {tuple(code.split(".", 1)) for code in codes}
