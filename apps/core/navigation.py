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
    NavItem(_("API tokens"), "accounts:token_list", frozenset(Role), "key"),
    NavItem(
        _("Django admin"),
        "admin:index",
        frozenset({R.ADMINISTRATOR}),
        "gear",
        needs_verified_company=False,
    ),
]

# Officials see 15+ entries: grouped by area into dropdowns so the bar fits on one line at 1280 px.
# Keyed by url name so that entries added elsewhere stay top-level links until someone groups them.
# A group with a single visible entry is shown as a plain link. "user" puts the entry in the
# account menu on the right instead of the bar.
GROUPS: dict[str, tuple[str, str]] = {
    "licensing": (_("Licensing"), "file-earmark-check"),
    "parties": (_("Parties"), "buildings"),
    "reference": (_("Reference data"), "journal-bookmark"),
    "audit": (_("Audit"), "journal-check"),
    "administration": (_("Administration"), "gear"),
}
NAV_GROUP_OF: dict[str, str] = {
    "review:licence_list": "licensing",
    "transactions:search": "licensing",
    "notifications:board": "licensing",
    "accounts:organisation_list": "parties",
    "clients:entity_list": "parties",
    "clients:hit_list": "parties",
    "clients:listentry_list": "parties",
    "catalogue:entry_list": "reference",
    "workcalendar:year_list": "reference",
    "audit:event_list": "audit",
    "audit:dataset_index": "audit",
    "audit:export_list": "audit",
    "accounts:official_list": "administration",
    "admin:index": "administration",
    "accounts:token_list": "user",
}


def items_for(user, company_verified: bool, *, include_admin: bool = False) -> list[dict]:
    roles = user_roles(user)
    visible = []
    for item in NAV_ITEMS:
        if not roles & item.roles:
            continue
        if item.needs_verified_company and not company_verified:
            continue
        if item.url_name == "admin:index" and not include_admin:
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


def menu_for(user, company_verified: bool) -> dict:
    """The bar as the template draws it: links and dropdown groups in order, plus account links.

    Each bar entry is {"label", "url", "icon", "url_name"} or a group
    {"label", "icon", "children": [...], "url_names": {...}} placed where its first child was.
    """
    bar: list[dict] = []
    account: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items_for(user, company_verified, include_admin=True):
        key = NAV_GROUP_OF.get(item["url_name"])
        if key == "user":
            account.append(item)
        elif key is None:
            bar.append(item)
        elif key in groups:
            groups[key]["children"].append(item)
        else:
            label, icon = GROUPS[key]
            groups[key] = {"label": label, "icon": icon, "key": key, "children": [item]}
            bar.append(groups[key])
    # Plain links first (what each role uses all day), then the groups in GROUPS' order.
    order = list(GROUPS)
    bar.sort(key=lambda entry: order.index(entry["key"]) + 1 if "children" in entry else 0)
    for index, entry in enumerate(bar):
        children = entry.get("children")
        if children is not None and len(children) == 1:
            bar[index] = children[0]
        elif children is not None:
            entry["url_names"] = {child["url_name"] for child in children}
    return {"bar": bar, "account": account}
