"""The navigation bar: each entry names the roles that may use it, so no one sees a dead link."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role, user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    icon: str = ""
    needs_verified_company: bool = True


R = Role
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home", frozenset(Role), "house", needs_verified_company=False),
    NavItem(_("Team"), "accounts:team", frozenset({R.PRODUCER_ADMIN}), "people"),
    NavItem(
        _("Review queue"),
        "review:queue",
        frozenset({R.REVIEWER, R.APPROVER, R.AUDITOR, R.ADMINISTRATOR}),
        "inboxes",
    ),
    NavItem(
        _("Licences"),
        "review:licence_list",
        frozenset({R.REVIEWER, R.APPROVER, R.AUDITOR, R.ADMINISTRATOR}),
        "file-earmark-check",
    ),
    NavItem(
        _("Clients"),
        "clients:client_list",
        frozenset({R.PRODUCER_ADMIN, R.PRODUCER_STAFF}),
        "person-vcard",
    ),
    NavItem(
        _("Applications"),
        "licensing:application_list",
        frozenset({R.PRODUCER_ADMIN, R.PRODUCER_STAFF}),
        "file-earmark-text",
    ),
    NavItem(
        _("Licences"),
        "licensing:licence_list",
        frozenset({R.PRODUCER_ADMIN, R.PRODUCER_STAFF}),
        "patch-check",
    ),
    NavItem(
        _("Transactions"),
        "transactions:report_list",
        frozenset({R.PRODUCER_ADMIN, R.PRODUCER_STAFF}),
        "truck",
    ),
    NavItem(
        _("Organisations"),
        "accounts:organisation_list",
        frozenset({R.ADMINISTRATOR, R.REVIEWER, R.APPROVER, R.AUDITOR}),
        "building",
    ),
    NavItem(
        _("Screening"),
        "clients:hit_list",
        frozenset({R.REVIEWER, R.APPROVER, R.AUDITOR, R.ADMINISTRATOR}),
        "shield-exclamation",
    ),
    NavItem(
        _("Transactions"),
        "transactions:search",
        frozenset({R.REVIEWER, R.APPROVER, R.AUDITOR, R.ADMINISTRATOR}),
        "truck",
    ),
    NavItem(
        _("Entities"),
        "clients:entity_list",
        frozenset({R.REVIEWER, R.APPROVER, R.AUDITOR, R.ADMINISTRATOR}),
        "buildings",
    ),
    NavItem(
        _("Lists"),
        "clients:listentry_list",
        frozenset({R.REVIEWER, R.APPROVER, R.AUDITOR, R.ADMINISTRATOR}),
        "list-check",
    ),
    NavItem(_("Officials"), "accounts:official_list", frozenset({R.ADMINISTRATOR}), "person-badge"),
    NavItem(
        _("Catalogue"),
        "catalogue:entry_list",
        frozenset({R.ADMINISTRATOR, R.REVIEWER, R.APPROVER, R.AUDITOR}),
        "list-check",
    ),
    NavItem(
        _("Calendar"),
        "workcalendar:year_list",
        frozenset({R.ADMINISTRATOR, R.REVIEWER, R.APPROVER, R.AUDITOR}),
        "calendar3",
    ),
    NavItem(
        _("Audit trail"),
        "audit:event_list",
        frozenset({R.AUDITOR, R.ADMINISTRATOR}),
        "journal-check",
    ),
    NavItem(_("Records"), "audit:dataset_index", frozenset({R.AUDITOR, R.ADMINISTRATOR}), "table"),
    NavItem(_("Exports"), "audit:export_list", frozenset({R.AUDITOR, R.ADMINISTRATOR}), "download"),
    NavItem(
        _("Chasing"),
        "notifications:board",
        frozenset({R.APPROVER, R.ADMINISTRATOR, R.AUDITOR}),
        "alarm",
    ),
    NavItem(_("API"), "accounts:token_list", frozenset(Role), "key"),
]


def items_for(user, company_verified: bool) -> list[dict]:
    roles = user_roles(user)
    visible = []
    for item in NAV_ITEMS:
        if not roles & item.roles:
            continue
        if item.needs_verified_company and not company_verified:
            continue
        visible.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "icon": item.icon,
                "url_name": item.url_name,
            }
        )
    return visible
