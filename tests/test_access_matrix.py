"""Every URL x every role gives the expected answer; a URL missing from the matrix fails the suite.

Expected codes: 200 OK, 302 redirect (to login for anonymous, to the registration status for a
producer whose company is not verified), 403 role not allowed, 404 object of another company,
405 method not allowed, 401 API without credentials.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import Invitation
from apps.catalogue.models import CatalogueEntry
from apps.workcalendar.models import CalendarDay, CalendarYear
from tests.clients import world as clients_world
from tests.factories import make_producer
from tests.transactions import world as transactions_world

ROLES = [
    "anonymous",
    "producer_admin",
    "producer",
    "other_producer",
    "pending_producer",
    "reviewer",
    "approver",
    "auditor",
    "administrator",
]
AUTHORITY = {"reviewer": 200, "approver": 200, "auditor": 200, "administrator": 200}
PRODUCERS_403 = {
    "producer_admin": 403,
    "producer": 403,
    "other_producer": 403,
    "pending_producer": 403,
}
OFFICIALS_403 = {"reviewer": 403, "approver": 403, "auditor": 403, "administrator": 403}


@dataclass
class Case:
    url: callable  # (world) -> str
    expected: dict  # role -> status; "*" is the default
    method: str = "get"
    data: dict = field(default_factory=dict)

    def status_for(self, role: str) -> int:
        return self.expected[role] if role in self.expected else self.expected["*"]


class World:
    """The objects that URLs point at, created once per test."""

    def __init__(self, users, company, other_company):
        self.users = users
        self.company = company
        self.other_company = other_company
        self.colleague = make_producer(company, email="colleague@company.test")
        self.invitation = Invitation.objects.create(
            organisation=company,
            email="new@company.test",
            role="producer_staff",
            token_hash=Invitation.hash_token("tok"),
            invited_by=users["producer_admin"],
            expires_at="2099-01-01T00:00Z",
        )
        self.token = self.users["producer_admin"].api_tokens.create(
            name="erp", prefix="rt_x", key_hash="0" * 64
        )
        self.catalogue_entry = CatalogueEntry.objects.create(
            control_code="1C999",
            sub_item="a",
            element="testium",
            symbol="Tt",
            name="Testium metal",
            forms=["metal"],
            effective_from="2025-04-04",
        )
        self.calendar_year, _ = CalendarYear.objects.get_or_create(year=2099)
        self.calendar_day = CalendarDay.objects.create(
            calendar_year=self.calendar_year, date="2099-01-01", kind="holiday"
        )
        clients_world.build(self)
        transactions_world.build(self)


LOGIN = {"anonymous": 302}
CLIENT_BOOK = {**LOGIN, **OFFICIALS_403, "pending_producer": 302, "*": 200}
OWN_CLIENT = {**LOGIN, **OFFICIALS_403, "pending_producer": 302, "other_producer": 404}
AUTHORITY_PAGE = {**LOGIN, **PRODUCERS_403, **AUTHORITY}
DECIDERS_POST = {**LOGIN, "reviewer": 302, "approver": 302, "*": 403}
ADMIN_PAGE = {**LOGIN, "administrator": 200, "*": 403}
API_AUTHORITY = {"anonymous": 401, **PRODUCERS_403, "*": 200}
API_OWN_CLIENT = {"anonymous": 401, **PRODUCERS_403, **OFFICIALS_403, "other_producer": 404}
CLIENTS_MATRIX: dict[str, Case] = {
    "clients:client_list": Case(lambda w: reverse("clients:client_list"), CLIENT_BOOK),
    "clients:client_create": Case(lambda w: reverse("clients:client_create"), CLIENT_BOOK),
    "clients:client_edit": Case(
        lambda w: reverse("clients:client_edit", args=[w.client.pk]), {**OWN_CLIENT, "*": 200}
    ),
    "clients:client_archive": Case(
        lambda w: reverse("clients:client_archive", args=[w.client.pk]),
        {**OWN_CLIENT, "*": 302},
        method="post",
    ),
    "clients:entity_list": Case(lambda w: reverse("clients:entity_list"), AUTHORITY_PAGE),
    "clients:entity_detail": Case(
        lambda w: reverse("clients:entity_detail", args=[w.entity.pk]), AUTHORITY_PAGE
    ),
    "clients:entity_merge": Case(
        lambda w: reverse("clients:entity_merge", args=[w.entity.pk]),
        DECIDERS_POST,
        method="post",
        data={"target": "999999", "reason": "access check"},
    ),
    "clients:entity_split": Case(
        lambda w: reverse("clients:entity_split", args=[w.entity.pk]),
        DECIDERS_POST,
        method="post",
        data={"client": "999999", "reason": "access check"},
    ),
    "clients:hit_list": Case(lambda w: reverse("clients:hit_list"), AUTHORITY_PAGE),
    "clients:hit_decide": Case(
        lambda w: reverse("clients:hit_decide", args=[w.hit.pk]),
        DECIDERS_POST,
        method="post",
        data={"action": "dismiss", "reason": "access check"},
    ),
    "clients:listentry_list": Case(lambda w: reverse("clients:listentry_list"), AUTHORITY_PAGE),
    "clients:listentry_create": Case(lambda w: reverse("clients:listentry_create"), ADMIN_PAGE),
    "clients:listentry_import": Case(lambda w: reverse("clients:listentry_import"), ADMIN_PAGE),
    "clients:listentry_edit": Case(
        lambda w: reverse("clients:listentry_edit", args=[w.list_entry.pk]), AUTHORITY_PAGE
    ),
    "api:client-list": Case(
        lambda w: reverse("api:client-list"),
        {"anonymous": 401, "pending_producer": 403, **OFFICIALS_403, "*": 200},
    ),
    "api:client-detail": Case(
        lambda w: reverse("api:client-detail", args=[w.client.pk]),
        {**API_OWN_CLIENT, "producer_admin": 200, "producer": 200},
    ),
    "api:client-archive": Case(
        lambda w: reverse("api:client-archive", args=[w.client.pk]),
        {**API_OWN_CLIENT, "producer_admin": 200, "producer": 200},
        method="post",
    ),
    "api:client-entity-list": Case(lambda w: reverse("api:client-entity-list"), API_AUTHORITY),
    "api:client-entity-detail": Case(
        lambda w: reverse("api:client-entity-detail", args=[w.entity.pk]), API_AUTHORITY
    ),
    "api:screening-hit-list": Case(lambda w: reverse("api:screening-hit-list"), API_AUTHORITY),
    "api:screening-hit-detail": Case(
        lambda w: reverse("api:screening-hit-detail", args=[w.hit.pk]), API_AUTHORITY
    ),
}
TX_PRODUCER_PAGE = {**LOGIN, **OFFICIALS_403, "pending_producer": 302, "*": 200}
TX_OWN = {**TX_PRODUCER_PAGE, "other_producer": 404}
TX_OWN_POST = {**TX_OWN, "*": 302}
TX_SHARED = {**LOGIN, "pending_producer": 302, "other_producer": 404, "*": 200}
TRANSACTIONS_MATRIX: dict[str, Case] = {
    "transactions:report_list": Case(
        lambda w: reverse("transactions:report_list"), TX_PRODUCER_PAGE
    ),
    "transactions:report_create": Case(
        lambda w: reverse("transactions:report_create"), TX_PRODUCER_PAGE
    ),
    "transactions:report_detail": Case(
        lambda w: reverse("transactions:report_detail", args=[w.tx_report.pk]), TX_SHARED
    ),
    "transactions:report_cancel": Case(
        lambda w: reverse("transactions:report_cancel", args=[w.tx_report.pk]),
        TX_OWN_POST,
        method="post",
    ),
    "transactions:upload": Case(lambda w: reverse("transactions:upload"), TX_PRODUCER_PAGE),
    "transactions:upload_template": Case(
        lambda w: reverse("transactions:upload_template", args=["csv"]), TX_PRODUCER_PAGE
    ),
    "transactions:upload_detail": Case(
        lambda w: reverse("transactions:upload_detail", args=[w.tx_batch.pk]), TX_OWN
    ),
    "transactions:upload_status": Case(
        lambda w: reverse("transactions:upload_status", args=[w.tx_batch.pk]), TX_OWN
    ),
    "transactions:upload_commit": Case(
        lambda w: reverse("transactions:upload_commit", args=[w.tx_batch.pk]),
        TX_OWN_POST,
        method="post",
    ),
    "transactions:upload_discard": Case(
        lambda w: reverse("transactions:upload_discard", args=[w.tx_batch.pk]),
        TX_OWN_POST,
        method="post",
    ),
    "transactions:balances": Case(lambda w: reverse("transactions:balances"), TX_PRODUCER_PAGE),
    "transactions:returns": Case(lambda w: reverse("transactions:returns"), TX_PRODUCER_PAGE),
    "transactions:licence_ledger": Case(
        lambda w: reverse("transactions:licence_ledger", args=[w.tx_licence.pk]), TX_SHARED
    ),
    "transactions:search": Case(lambda w: reverse("transactions:search"), AUTHORITY_PAGE),
    "transactions:entity_totals": Case(
        lambda w: reverse("transactions:entity_totals"), AUTHORITY_PAGE
    ),
    "api:transaction-list": Case(
        lambda w: reverse("api:transaction-list"),
        {"anonymous": 401, "pending_producer": 403, "*": 200},
    ),
    "api:transaction-detail": Case(
        lambda w: reverse("api:transaction-detail", args=[w.tx_report.pk]),
        {"anonymous": 401, "pending_producer": 403, "other_producer": 404, "*": 200},
    ),
    "api:transaction-bulk": Case(
        lambda w: reverse("api:transaction-bulk"),
        {"anonymous": 401, "pending_producer": 403, **OFFICIALS_403, "*": 400},
        method="post",
    ),
}
MATRIX: dict[str, Case] = {
    "core:home": Case(lambda w: reverse("core:home"), {**LOGIN, "pending_producer": 302, "*": 200}),
    "healthz": Case(lambda w: reverse("healthz"), {"*": 200}),
    "accounts:login": Case(lambda w: reverse("accounts:login"), {"anonymous": 200, "*": 302}),
    "accounts:logout": Case(lambda w: reverse("accounts:logout"), {"*": 302}, method="post"),
    "accounts:password_change": Case(
        lambda w: reverse("accounts:password_change"), {**LOGIN, "*": 200}
    ),
    "accounts:password_reset": Case(lambda w: reverse("accounts:password_reset"), {"*": 200}),
    "accounts:password_reset_done": Case(
        lambda w: reverse("accounts:password_reset_done"), {"*": 200}
    ),
    "accounts:password_reset_confirm": Case(
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]), {"*": 200}
    ),
    "accounts:password_reset_complete": Case(
        lambda w: reverse("accounts:password_reset_complete"), {"*": 200}
    ),
    "accounts:register": Case(lambda w: reverse("accounts:register"), {"anonymous": 200, "*": 302}),
    "accounts:registration_status": Case(
        lambda w: reverse("accounts:registration_status"),
        {
            **LOGIN,
            "producer_admin": 200,
            "producer": 200,
            "other_producer": 200,
            "pending_producer": 200,
            "*": 302,
        },
    ),
    "accounts:invitation_accept": Case(
        lambda w: reverse("accounts:invitation_accept", args=["tok"]), {"*": 200}
    ),
    "accounts:set_language": Case(
        lambda w: reverse("accounts:set_language"),
        {"*": 302},
        method="post",
        data={"language": "en"},
    ),
    "accounts:team": Case(
        lambda w: reverse("accounts:team"),
        {**LOGIN, "producer_admin": 200, "other_producer": 200, "pending_producer": 302, "*": 403},
    ),
    "accounts:member_toggle": Case(
        lambda w: reverse("accounts:member_toggle", args=[w.colleague.pk]),
        {**LOGIN, "producer_admin": 302, "other_producer": 404, "pending_producer": 302, "*": 403},
        method="post",
        data={"active": "0"},
    ),
    "accounts:invitation_revoke": Case(
        lambda w: reverse("accounts:invitation_revoke", args=[w.invitation.pk]),
        {**LOGIN, "producer_admin": 302, "other_producer": 404, "pending_producer": 302, "*": 403},
        method="post",
    ),
    "accounts:organisation_list": Case(
        lambda w: reverse("accounts:organisation_list"), {**LOGIN, **PRODUCERS_403, **AUTHORITY}
    ),
    "accounts:organisation_detail": Case(
        lambda w: reverse("accounts:organisation_detail", args=[w.company.pk]),
        {**LOGIN, **PRODUCERS_403, **AUTHORITY},
    ),
    "accounts:official_list": Case(
        lambda w: reverse("accounts:official_list"),
        {**LOGIN, "administrator": 200, "pending_producer": 403, "*": 403},
    ),
    "accounts:official_toggle": Case(
        lambda w: reverse("accounts:official_toggle", args=[w.users["reviewer"].pk]),
        {**LOGIN, "administrator": 302, "*": 403},
        method="post",
        data={"active": "0"},
    ),
    "accounts:token_list": Case(
        lambda w: reverse("accounts:token_list"), {**LOGIN, "pending_producer": 302, "*": 200}
    ),
    "accounts:token_revoke": Case(
        lambda w: reverse("accounts:token_revoke", args=[w.token.pk]),
        {**LOGIN, "producer_admin": 302, "pending_producer": 302, "*": 404},
        method="post",
    ),
    "audit:event_list": Case(
        lambda w: reverse("audit:event_list"),
        {**LOGIN, "auditor": 200, "administrator": 200, "pending_producer": 403, "*": 403},
    ),
    "catalogue:entry_list": Case(
        lambda w: reverse("catalogue:entry_list"), {**LOGIN, **PRODUCERS_403, **AUTHORITY}
    ),
    "catalogue:entry_detail": Case(
        lambda w: reverse("catalogue:entry_detail", args=[w.catalogue_entry.pk]),
        {**LOGIN, **PRODUCERS_403, **AUTHORITY},
    ),
    "catalogue:entry_create": Case(
        lambda w: reverse("catalogue:entry_create"), {**LOGIN, "administrator": 200, "*": 403}
    ),
    "catalogue:entry_edit": Case(
        lambda w: reverse("catalogue:entry_edit", args=[w.catalogue_entry.pk]),
        {**LOGIN, "administrator": 200, "*": 403},
    ),
    "workcalendar:year_list": Case(
        lambda w: reverse("workcalendar:year_list"), {**LOGIN, **PRODUCERS_403, **AUTHORITY}
    ),
    "workcalendar:year_detail": Case(
        lambda w: reverse("workcalendar:year_detail", args=[w.calendar_year.year]),
        {**LOGIN, **PRODUCERS_403, **AUTHORITY},
    ),
    "workcalendar:day_add": Case(
        lambda w: reverse("workcalendar:day_add", args=[w.calendar_year.year]),
        {**LOGIN, "administrator": 302, "*": 403},
        method="post",
        data={"date": "2099-01-03", "kind": "workday"},
    ),
    "workcalendar:day_remove": Case(
        lambda w: reverse("workcalendar:day_remove", args=[w.calendar_day.pk]),
        {**LOGIN, "administrator": 302, "*": 403},
        method="post",
    ),
    "api:api-root": Case(lambda w: reverse("api:api-root"), {"anonymous": 401, "*": 403}),
    "api:me": Case(lambda w: reverse("api:me"), {"anonymous": 401, "*": 200}),
    "api:organisation-list": Case(
        lambda w: reverse("api:organisation-list"),
        {"anonymous": 401, "pending_producer": 403, "*": 200},
    ),
    "api:organisation-detail": Case(
        lambda w: reverse("api:organisation-detail", args=[w.company.pk]),
        {"anonymous": 401, "other_producer": 404, "pending_producer": 403, "*": 200},
    ),
    **CLIENTS_MATRIX,
    **TRANSACTIONS_MATRIX,
    "api-schema": Case(lambda w: reverse("api-schema"), {"anonymous": 401, "*": 200}),
    "api-docs": Case(lambda w: reverse("api-docs"), {"anonymous": 401, "*": 200}),
}
# The admin is Django's own; tests/core/test_admin.py checks who may enter it.
IGNORED_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in IGNORED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _all_url_names(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_is_in_the_access_matrix():
    missing = {n for n in _all_url_names() if not n.endswith("-format")} - set(MATRIX)
    assert not missing, f"Add these URLs to the access matrix: {sorted(missing)}"


@pytest.fixture
def world(
    producer_admin,
    producer,
    other_producer,
    pending_producer,
    reviewer,
    approver,
    auditor,
    administrator,
    company,
    other_company,
):
    users = {
        "anonymous": None,
        "producer_admin": producer_admin,
        "producer": producer,
        "other_producer": other_producer,
        "pending_producer": pending_producer,
        "reviewer": reviewer,
        "approver": approver,
        "auditor": auditor,
        "administrator": administrator,
    }
    return World(users, company, other_company)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_role_as_expected(name, role, world, client_for):
    case = MATRIX[name]
    client = client_for(world.users[role])
    response = getattr(client, case.method)(case.url(world), case.data)
    assert response.status_code == case.status_for(role), (
        f"{case.method.upper()} {name} as {role}: {response.status_code}"
    )
