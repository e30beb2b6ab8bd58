"""Every URL x every role gives the expected answer; a URL missing from the matrix fails the suite.

Expected codes: 200 OK, 302 redirect (to login for anonymous, to the registration status for a
producer whose company is not verified), 403 role not allowed, 404 object of another company,
405 method not allowed, 401 API without credentials.

MATRIX keys are URL names; a second method of the same URL gets its own entry keyed
"<url name> <METHOD>" (e.g. "api:licence-detail PATCH"). Every operation of the OpenAPI schema
must have an entry with its method. Besides the role matrix, company isolation is checked for
API detail operations (another company's object answers 404, never 200), for lists registered in
OWN_LISTS (a producer's list holds exactly its own company's rows) and for RELATED cases (an id
that points at another company's object is rejected). A new API list or write operation that is
in none of these registries fails the suite.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from apps.accounts.models import Invitation
from apps.audit.datasets import registry
from apps.audit.services import audit_record, export_request, export_run
from apps.catalogue.models import CatalogueEntry
from apps.clients.models import Client
from apps.licensing.models import Application, Licence
from apps.notifications.models import Notification
from apps.transactions.models import TransactionReport
from apps.workcalendar.models import CalendarDay, CalendarYear
from tests.clients import world as clients_world
from tests.clients.factories import make_client
from tests.factories import make_producer
from tests.licensing import official_world
from tests.licensing import world_producer as licensing_producer_world
from tests.licensing.matrix_official import REVIEW_MATRIX
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
AUTHORITY_302 = {"reviewer": 302, "approver": 302, "auditor": 302, "administrator": 302}


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
        # Objects of the other company, for the isolation checks below.
        self.other_colleague = make_producer(other_company, email="colleague@other.test")
        self.other_invitation = Invitation.objects.create(
            organisation=other_company,
            email="new@other.test",
            role="producer_staff",
            token_hash=Invitation.hash_token("other-tok"),
            invited_by=users["other_producer"],
            expires_at="2099-01-01T00:00Z",
        )
        self.other_token = self.users["other_producer"].api_tokens.create(
            name="erp", prefix="rt_y", key_hash="1" * 64
        )
        audit_record(actor=users["administrator"], action="test.write", obj=company)
        self.export = export_request(
            actor=users["auditor"], dataset="organisations", format="csv", filters={}
        )
        export_run(job_id=self.export.pk)
        self.notification = Notification.objects.create(
            recipient=users["producer_admin"], kind="test", title="Hello"
        )
        clients_world.build(self)
        licensing_producer_world.build(self)
        self.review = official_world.ReviewWorld(self)
        transactions_world.build(self)


LOGIN = {"anonymous": 302}
AUDITORS = {"auditor": 200, "administrator": 200, "*": 403}
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
OWN_CASE = {**OWN_CLIENT}  # anonymous 302, officials 403, pending 302, other company 404
API_PRODUCER_LIST = {"anonymous": 401, "pending_producer": 403, **OFFICIALS_403, "*": 200}
API_OWN_CASE = {**API_OWN_CLIENT, "producer_admin": 200, "producer": 200}
LICENSING_PRODUCER_MATRIX: dict[str, Case] = {
    "licensing:application_list": Case(
        lambda w: reverse("licensing:application_list"), CLIENT_BOOK
    ),
    "licensing:application_create": Case(
        lambda w: reverse("licensing:application_create"), CLIENT_BOOK
    ),
    "licensing:application_detail": Case(
        lambda w: reverse("licensing:application_detail", args=[w.draft.pk]),
        {**OWN_CASE, "*": 200},
    ),
    "licensing:application_header": Case(
        lambda w: reverse("licensing:application_header", args=[w.draft.pk]),
        {**OWN_CASE, "*": 200},
    ),
    "licensing:line_add": Case(
        lambda w: reverse("licensing:line_add", args=[w.draft.pk]), {**OWN_CASE, "*": 200}
    ),
    "licensing:line_edit": Case(
        lambda w: reverse("licensing:line_edit", args=[w.draft.pk, 1]), {**OWN_CASE, "*": 200}
    ),
    "licensing:line_remove": Case(
        lambda w: reverse("licensing:line_remove", args=[w.draft.pk, 1]),
        {**OWN_CASE, "*": 302},
        method="post",
    ),
    "licensing:application_parties": Case(
        lambda w: reverse("licensing:application_parties", args=[w.draft.pk]),
        {**OWN_CASE, "*": 200},
    ),
    "licensing:document_upload": Case(
        lambda w: reverse("licensing:document_upload", args=[w.draft.pk]),
        {**OWN_CASE, "*": 200},  # no file: the page again with the message
        method="post",
    ),
    "licensing:document_remove": Case(
        lambda w: reverse("licensing:document_remove", args=[w.draft.pk, w.document.pk]),
        {**OWN_CASE, "*": 302},
        method="post",
    ),
    "licensing:application_submit": Case(
        lambda w: reverse("licensing:application_submit", args=[w.draft.pk]),
        {**OWN_CASE, "*": 302},
        method="post",
    ),
    "licensing:application_withdraw": Case(
        lambda w: reverse("licensing:application_withdraw", args=[w.draft.pk]),
        {**OWN_CASE, "*": 200},  # no reason: the page again with the message
        method="post",
    ),
    "licensing:application_copy": Case(
        lambda w: reverse("licensing:application_copy", args=[w.draft.pk]),
        {**OWN_CASE, "*": 302},
        method="post",
    ),
    "licensing:rfi_answer": Case(
        lambda w: reverse("licensing:rfi_answer", args=[w.draft.pk]),
        {**OWN_CASE, "*": 302},  # no open request on a draft: back to the application
    ),
    "licensing:licence_list": Case(lambda w: reverse("licensing:licence_list"), CLIENT_BOOK),
    "licensing:licence_detail": Case(
        lambda w: reverse("licensing:licence_detail", args=[w.licence.pk]),
        {**OWN_CASE, "*": 200},
    ),
    "licensing:licence_surrender": Case(
        lambda w: reverse("licensing:licence_surrender", args=[w.licence.pk]),
        {**OWN_CASE, "*": 200},  # no reason: the page again with the message
        method="post",
    ),
    "licensing:licence_amend": Case(
        lambda w: reverse("licensing:licence_amend", args=[w.licence.pk]),
        {**OWN_CASE, "*": 200},
    ),
    "licensing:document_download": Case(
        lambda w: reverse("licensing:document_download", args=[w.document.pk]),
        {**LOGIN, "pending_producer": 302, "other_producer": 404, "*": 200},
    ),
    "api:application-list": Case(lambda w: reverse("api:application-list"), API_PRODUCER_LIST),
    "api:application-detail": Case(
        lambda w: reverse("api:application-detail", args=[w.draft.pk]), API_OWN_CASE
    ),
    "api:application-submit": Case(
        lambda w: reverse("api:application-submit", args=[w.draft.pk]),
        API_OWN_CASE,
        method="post",
    ),
    "api:application-withdraw": Case(
        lambda w: reverse("api:application-withdraw", args=[w.draft.pk]),
        {**API_OWN_CASE, "producer_admin": 409, "producer": 409},  # a draft cannot be withdrawn
        method="post",
        data={"reason": "access check"},
    ),
    "api:application-copy": Case(
        lambda w: reverse("api:application-copy", args=[w.draft.pk]),
        {**API_OWN_CASE, "producer_admin": 201, "producer": 201},
        method="post",
    ),
    "api:application-answer": Case(
        lambda w: reverse("api:application-answer", args=[w.draft.pk]),
        {**API_OWN_CASE, "producer_admin": 409, "producer": 409},  # no open request
        method="post",
        data={"answer": "access check"},
    ),
    "api:application-documents": Case(
        lambda w: reverse("api:application-documents", args=[w.draft.pk]),
        {**API_OWN_CASE, "producer_admin": 400, "producer": 400},  # no file
        method="post",
    ),
    "api:licence-list": Case(lambda w: reverse("api:licence-list"), API_PRODUCER_LIST),
    "api:licence-detail": Case(
        lambda w: reverse("api:licence-detail", args=[w.licence.pk]), API_OWN_CASE
    ),
}
TX_PRODUCER_PAGE = {**LOGIN, **OFFICIALS_403, "pending_producer": 302, "*": 200}
TX_OWN = {**TX_PRODUCER_PAGE, "other_producer": 404}
TX_OWN_POST = {**TX_OWN, "*": 302}
TX_SHARED = {**LOGIN, "pending_producer": 302, "other_producer": 404, "*": 200}
API_TX_OWN_WRITE = {
    "anonymous": 401,
    "pending_producer": 403,
    **OFFICIALS_403,
    "other_producer": 404,
}
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
    "transactions:report_correct": Case(
        lambda w: reverse("transactions:report_correct", args=[w.tx_report.pk]), TX_OWN
    ),
    # an empty form: the page again with every missing field named
    "transactions:report_correct POST": Case(
        lambda w: reverse("transactions:report_correct", args=[w.tx_report.pk]),
        TX_OWN,
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
    "api:transaction-cancel": Case(
        lambda w: reverse("api:transaction-cancel", args=[w.tx_report.pk]),
        {**API_TX_OWN_WRITE, "*": 200},
        method="post",
        data={"reason": "access check"},
    ),
    "api:transaction-correct": Case(
        lambda w: reverse("api:transaction-correct", args=[w.tx_report.pk]),
        {**API_TX_OWN_WRITE, "*": 400},  # a reason alone: every missing report field is named
        method="post",
        data={"reason": "access check"},
    ),
    "api:transaction-bulk": Case(
        lambda w: reverse("api:transaction-bulk"),
        {"anonymous": 401, "pending_producer": 403, **OFFICIALS_403, "*": 400},
        method="post",
    ),
}
# Writes of the API's list and detail routes ("<url name> <METHOD>"). Producers create in their
# own company; another company's object is 404; officials and unverified companies are refused.
API_CREATE = {"anonymous": 401, "pending_producer": 403, **OFFICIALS_403, "*": 201}
NEW_CLIENT = {
    "legal_name": "Matrix Motors GmbH",
    "country": "DE",
    "sector": "automotive",
    "roles": ["purchaser", "end_user"],
}
API_WRITES_MATRIX: dict[str, Case] = {
    "api:application-list POST": Case(
        lambda w: reverse("api:application-list"),
        API_CREATE,
        method="post",
        data={"licence_type": "single"},
    ),
    "api:application-detail PUT": Case(
        lambda w: reverse("api:application-detail", args=[w.draft.pk]),
        API_OWN_CASE,
        method="put",
        data={"licence_type": "general", "port_of_exit": "Ningbo"},
    ),
    "api:application-detail PATCH": Case(
        lambda w: reverse("api:application-detail", args=[w.draft.pk]),
        API_OWN_CASE,
        method="patch",
        data={"port_of_exit": "Ningbo"},
    ),
    "api:client-list POST": Case(
        lambda w: reverse("api:client-list"), API_CREATE, method="post", data=NEW_CLIENT
    ),
    "api:client-detail PUT": Case(
        lambda w: reverse("api:client-detail", args=[w.client.pk]),
        {**API_OWN_CLIENT, "producer_admin": 200, "producer": 200},
        method="put",
        data={**NEW_CLIENT, "legal_name": "Renamed Motors GmbH"},
    ),
    "api:client-detail PATCH": Case(
        lambda w: reverse("api:client-detail", args=[w.client.pk]),
        {**API_OWN_CLIENT, "producer_admin": 200, "producer": 200},
        method="patch",
        data={"website": "https://example.com"},
    ),
    "api:transaction-list POST": Case(
        lambda w: reverse("api:transaction-list"),
        {**API_CREATE, "*": 400},  # an empty report: every missing field is named
        method="post",
        data={},
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
    "accounts:mfa": Case(lambda w: reverse("accounts:mfa"), {**LOGIN, "*": 200}),
    # Officials are enrolled and verified by client_for: setup means "replace", which needs a
    # recent password (they just signed in); producers without a device see the enrolment page.
    "accounts:mfa_setup": Case(lambda w: reverse("accounts:mfa_setup"), {**LOGIN, "*": 200}),
    "accounts:mfa_verify": Case(
        lambda w: reverse("accounts:mfa_verify"),
        {**LOGIN, **AUTHORITY_302, "*": 302},  # producers: no device -> setup; officials: done
    ),
    "accounts:mfa_recovery_codes": Case(
        lambda w: reverse("accounts:mfa_recovery_codes"),
        {**LOGIN, **AUTHORITY, "*": 302},  # producers have no device: back to the security page
        method="post",
    ),
    "accounts:mfa_disable": Case(
        lambda w: reverse("accounts:mfa_disable"),
        {**LOGIN, **OFFICIALS_403, "*": 302},
        method="post",
    ),
    "accounts:reauthenticate": Case(
        lambda w: reverse("accounts:reauthenticate"), {**LOGIN, "*": 200}
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
    "audit:timeline": Case(
        lambda w: reverse("audit:timeline", args=["accounts.Organisation", w.company.pk]),
        {**LOGIN, **AUDITORS},
    ),
    "audit:dataset_index": Case(lambda w: reverse("audit:dataset_index"), {**LOGIN, **AUDITORS}),
    # Every registered dataset (users ... transactions), enumerated from the registry: a
    # dataset an app adds later is checked for every role with no change here.
    **{
        f"audit:dataset_list dataset={dataset.name}": Case(
            lambda w, name=dataset.name: reverse("audit:dataset_list", args=[name]),
            {**LOGIN, **AUDITORS},
        )
        for dataset in registry.all_datasets()
    },
    "audit:verify": Case(lambda w: reverse("audit:verify"), {**LOGIN, **AUDITORS}),
    "audit:export_list": Case(lambda w: reverse("audit:export_list"), {**LOGIN, **AUDITORS}),
    "audit:export_detail": Case(
        lambda w: reverse("audit:export_detail", args=[w.export.token]),
        {**LOGIN, **AUDITORS, "administrator": 404},
    ),
    "audit:export_progress": Case(
        lambda w: reverse("audit:export_progress", args=[w.export.token]),
        {**LOGIN, **AUDITORS, "administrator": 404},
    ),
    "audit:export_download": Case(
        lambda w: reverse("audit:export_download", args=[w.export.token]),
        {**LOGIN, **AUDITORS, "administrator": 404},
    ),
    "audit:export_manifest": Case(
        lambda w: reverse("audit:export_manifest", args=[w.export.token]),
        {**LOGIN, **AUDITORS, "administrator": 404},
    ),
    "notifications:inbox": Case(lambda w: reverse("notifications:inbox"), {**LOGIN, "*": 200}),
    "notifications:mark_read": Case(
        lambda w: reverse("notifications:mark_read", args=[w.notification.pk]),
        {**LOGIN, "producer_admin": 302, "*": 404},
        method="post",
    ),
    "notifications:mark_all_read": Case(
        lambda w: reverse("notifications:mark_all_read"), {"*": 302}, method="post"
    ),
    "notifications:preferences": Case(
        lambda w: reverse("notifications:preferences"), {**LOGIN, "*": 200}
    ),
    "notifications:board": Case(
        lambda w: reverse("notifications:board"),
        {**LOGIN, "approver": 200, "administrator": 200, "auditor": 200, "*": 403},
    ),
    "notifications:board_requeue": Case(
        lambda w: reverse("notifications:board_requeue"),
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
    **LICENSING_PRODUCER_MATRIX,
    **{
        name: Case(url, expected, method=method, data=data)
        for name, (method, url, expected, data) in REVIEW_MATRIX.items()
    },
    **TRANSACTIONS_MATRIX,
    **API_WRITES_MATRIX,
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


def _url_name(key: str) -> str:
    return key.split(" ", 1)[0]


def test_every_url_is_in_the_access_matrix():
    missing = {n for n in _all_url_names() if not n.endswith("-format")} - {
        _url_name(k) for k in MATRIX
    }
    assert not missing, f"Add these URLs to the access matrix: {sorted(missing)}"


# --- The API, operation by operation (from the OpenAPI schema) ----------------------------------


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    url_name: str
    has_path_params: bool
    is_list: bool
    id_fields: tuple[str, ...]  # request-body fields that hold ids of other objects


def _api_operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, item in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        url_name = resolve(concrete).view_name
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            ok = operation.get("responses", {}).get("200", {})
            body = ok.get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            is_list = "results" in components.get(ref, {}).get("properties", {})
            operations.append(
                Operation(
                    path=path,
                    method=method,
                    url_name=url_name,
                    has_path_params="{" in path,
                    is_list=method == "get" and is_list,
                    id_fields=_id_fields(operation, components),
                )
            )
    return operations


def _id_fields(operation: dict, components: dict) -> tuple[str, ...]:
    fields = set()
    for media in operation.get("requestBody", {}).get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
        for name, prop in components.get(ref, {}).get("properties", {}).items():
            items = prop.get("items", {})
            looks_like_id = (
                prop.get("type") == "integer"
                or items.get("type") == "integer"
                or name.endswith("_id")
            )
            counter = name.endswith(("quantity", "count", "days", "year", "number"))
            if looks_like_id and not counter and not prop.get("readOnly"):
                fields.add(name)
    return tuple(sorted(fields))


API_OPERATIONS = _api_operations()


def _matrix_case(url_name: str, method: str) -> Case | None:
    return next(
        (c for k, c in MATRIX.items() if _url_name(k) == url_name and c.method == method), None
    )


def test_every_api_operation_is_in_the_access_matrix():
    missing = [
        f"{op.method.upper()} {op.path} ({op.url_name})"
        for op in API_OPERATIONS
        if _matrix_case(op.url_name, op.method) is None
    ]
    assert not missing, f"Add MATRIX entries (with their method) for: {missing}"


# Objects every verified user may read (e.g. the control catalogue): their detail operations need
# not hide another company's rows because they belong to no company.
SHARED_OBJECTS: set[str] = set()


def test_api_details_hide_other_companies_objects():
    """The matrix's URL points at the producer's company's object: the other company gets 404."""
    wrong = [
        f"{op.url_name}: other_producer gets {case.status_for('other_producer')}"
        for op in API_OPERATIONS
        if op.has_path_params and op.url_name not in SHARED_OBJECTS
        for case in [_matrix_case(op.url_name, op.method)]
        if case is not None and case.status_for("other_producer") not in (403, 404)
    ]
    assert not wrong, wrong


@dataclass
class OwnList:
    """A list of company data: as a producer it holds exactly `own(world, company)`'s rows."""

    url: Callable  # (world) -> str
    own: Callable  # (world, organisation) -> number of rows of that company
    count: Callable = lambda response: response.json()["count"]


def _html_count(response) -> int:
    return response.context["page_obj"].paginator.count


OWN_LISTS: dict[str, OwnList] = {
    "api:organisation-list": OwnList(lambda w: reverse("api:organisation-list"), lambda w, o: 1),
    "accounts:team": OwnList(
        lambda w: reverse("accounts:team"), lambda w, o: o.memberships.count(), _html_count
    ),
}
OWN_LISTS.update(
    {
        "api:application-list": OwnList(
            lambda w: reverse("api:application-list"),
            lambda w, o: Application.objects.filter(organisation=o).count(),
        ),
        "api:client-list": OwnList(
            lambda w: reverse("api:client-list"),
            lambda w, o: Client.objects.filter(organisation=o, archived_at__isnull=True).count(),
        ),
        "api:licence-list": OwnList(
            lambda w: reverse("api:licence-list"),
            lambda w, o: Licence.objects.filter(organisation=o).count(),
        ),
        "api:transaction-list": OwnList(
            lambda w: reverse("api:transaction-list"),
            lambda w, o: TransactionReport.objects.filter(organisation=o).count(),
        ),
    }
)
# Lists that hold no company data (reference data, the user's own profile), and lists only the
# authority may read (producers get 403, checked by the role matrix).
GLOBAL_LISTS: set[str] = {
    "api:client-entity-list",
    "api:screening-hit-list",
    "api:review-case-list",
    "api:review-licence-list",
    "api:review-amendment-list",
}


def test_every_api_list_is_registered_for_the_company_check():
    missing = {op.url_name for op in API_OPERATIONS if op.is_list} - set(OWN_LISTS) - GLOBAL_LISTS
    assert not missing, f"Add these lists to OWN_LISTS (or GLOBAL_LISTS): {sorted(missing)}"


@pytest.mark.parametrize("role", ["producer_admin", "other_producer"])
@pytest.mark.parametrize("name", sorted(OWN_LISTS))
def test_a_producer_list_holds_exactly_its_own_rows(name, role, world, client_for):
    entry = OWN_LISTS[name]
    user = world.users[role]
    response = client_for(user).get(entry.url(world))
    assert response.status_code == 200
    assert entry.count(response) == entry.own(world, user.membership.organisation)


@dataclass
class Related:
    """A request, made as `role`, whose id points at another company's object: refused."""

    url: Callable  # (world) -> str
    role: str = "producer_admin"
    method: str = "post"
    data: Callable = lambda w: {}
    refused: tuple = (400, 403, 404)


RELATED: dict[str, Related] = {
    "accounts:member_toggle": Related(
        lambda w: reverse("accounts:member_toggle", args=[w.other_colleague.pk]),
        data=lambda w: {"active": "0"},
    ),
    "accounts:invitation_revoke": Related(
        lambda w: reverse("accounts:invitation_revoke", args=[w.other_invitation.pk])
    ),
    "accounts:token_revoke": Related(
        lambda w: reverse("accounts:token_revoke", args=[w.other_token.pk])
    ),
    "api:organisation-detail": Related(
        lambda w: reverse("api:organisation-detail", args=[w.other_company.pk]), method="get"
    ),
}


def _other_companys_client(w):
    """A client of the other company, created once per world."""
    if not hasattr(w, "other_client"):
        w.other_client = make_client(w.users["other_producer"], legal_name="Other Book Parent AG")
    return w.other_client


def _with_foreign_parent(w):
    return {**NEW_CLIENT, "parent": _other_companys_client(w).pk, "ownership_pct": "60.00"}


RELATED.update(
    {
        "api:client-list POST": Related(
            lambda w: reverse("api:client-list"), data=_with_foreign_parent, refused=(400,)
        ),
        "api:client-detail PUT": Related(
            lambda w: reverse("api:client-detail", args=[w.client.pk]),
            method="put",
            data=_with_foreign_parent,
            refused=(400,),
        ),
        "api:client-detail PATCH": Related(
            lambda w: reverse("api:client-detail", args=[w.client.pk]),
            method="patch",
            data=lambda w: {"parent": _other_companys_client(w).pk, "ownership_pct": "60.00"},
            refused=(400,),
        ),
        "api:client-archive POST": Related(
            lambda w: reverse("api:client-archive", args=[_other_companys_client(w).pk]),
            refused=(404,),
        ),
        "api:transaction-correct POST": Related(
            lambda w: reverse("api:transaction-correct", args=[w.tx_report.pk]),
            data=lambda w: transactions_world.correction_naming(w, _other_companys_client(w)),
            refused=(400,),
        ),
        # An approver assigning a case: the id must be an active reviewer free of the company.
        "api:review-case-assign POST": Related(
            lambda w: reverse("api:review-case-assign", args=[w.review.case.pk]),
            role="approver",
            data=lambda w: {"reviewer": w.users["other_producer"].pk},
            refused=(400, 409),
        ),
    }
)


def test_every_api_write_with_ids_has_a_related_id_case():
    missing = {
        f"{op.url_name} {op.method.upper()} {op.id_fields}"
        for op in API_OPERATIONS
        if op.method != "get"
        and op.id_fields
        and not any(_url_name(k) == op.url_name for k in RELATED)
    }
    assert not missing, f"Add RELATED cases (another company's id in the payload): {missing}"


@pytest.mark.parametrize("name", sorted(RELATED))
def test_an_id_of_another_company_is_rejected(name, world, client_for):
    case = RELATED[name]
    client = client_for(world.users[case.role])
    response = getattr(client, case.method)(
        case.url(world),
        case.data(world),
        **(
            {"content_type": "application/json"}
            if name.startswith("api:") and case.method != "get"
            else {}
        ),
    )
    assert response.status_code in case.refused, f"{name}: {response.status_code}"
    world.other_colleague.refresh_from_db()
    world.other_invitation.refresh_from_db()
    world.other_token.refresh_from_db()
    assert world.other_colleague.is_active
    assert world.other_invitation.revoked_at is None
    assert world.other_token.revoked_at is None


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


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_every_role_as_expected(name, world, client_for):
    """One world per URL, every role in turn; each request runs in a savepoint that is rolled
    back, so a role's write never changes what the next role sees (and the world is built once
    per URL, not once per role: the matrix is the suite's biggest cost)."""
    case = MATRIX[name]
    url = case.url(world)  # before any savepoint: lazy worlds create their objects here
    data = case.data(world) if callable(case.data) else case.data
    wrong = []
    for role in ROLES:
        client = client_for(world.users[role])
        json = {"content_type": "application/json"} if case.method in ("put", "patch") else {}
        savepoint = transaction.savepoint()
        try:
            response = getattr(client, case.method)(url, data, **json)
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code != case.status_for(role):
            wrong.append(f"{role}: {response.status_code} (expected {case.status_for(role)})")
    assert not wrong, f"{case.method.upper()} {name}: " + "; ".join(wrong)
