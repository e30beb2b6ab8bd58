"""Every API write writes exactly one audit event, with the request's address and user agent.

The write operations are found in the URLconf: every DRF route under the `api` namespace and the
POST, PUT, PATCH and DELETE methods its view (or viewset action) answers. Each needs an entry in a
tests/<app>/audit_entrypoints.py (API_CASES, or API_NOT_WRITES with the reason), so a new
endpoint cannot write unaudited. A case makes the request a client would, as a real user.
"""

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from apps.audit.models import AuditEvent
from apps.transactions.models import TransactionReport
from tests.audit.coverage import check_event, entrypoints
from tests.conftest import verified_login
from tests.transactions.audit_cases import _world as transactions_world
from tests.transactions.test_api import body

CASES = entrypoints("API_CASES")
NOT_WRITES = entrypoints("API_NOT_WRITES")
WRITE_METHODS = ("post", "put", "patch", "delete")
ORIGIN = {"ip_address": "198.51.100.4", "user_agent": "CoverageERP/2.0", "request_id": "req-api"}
META = {
    "REMOTE_ADDR": ORIGIN["ip_address"],
    "HTTP_USER_AGENT": ORIGIN["user_agent"],
    "HTTP_X_REQUEST_ID": ORIGIN["request_id"],
}


def api_write_operations() -> set[str]:
    operations = set()
    for name, callback in _routes(get_resolver()):
        if not name.startswith("api:") or not hasattr(callback, "cls"):
            continue
        actions = getattr(callback, "actions", None)  # a viewset route: method -> action
        methods = (
            set(actions) if actions else {m for m in WRITE_METHODS if hasattr(callback.cls, m)}
        )
        operations |= {f"{name} {method.upper()}" for method in methods & set(WRITE_METHODS)}
    return operations


def _routes(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry.callback


def test_every_api_write_has_an_audit_case():
    operations = api_write_operations()
    missing = operations - set(CASES) - set(NOT_WRITES)
    assert not missing, (
        "Add these API writes to tests/<app>/audit_entrypoints.py (API_CASES, or API_NOT_WRITES "
        f"with the reason they write nothing audited): {sorted(missing)}"
    )
    stale = (set(CASES) | set(NOT_WRITES)) - operations
    assert not stale, f"These API cases name no API write any more: {sorted(stale)}"
    assert all(reason.strip() for reason in NOT_WRITES.values())


@pytest.mark.parametrize("name", sorted(CASES))
def test_api_write_records_exactly_one_audit_event(name, request, db):
    case = CASES[name]
    url_name, method = name.rsplit(" ", 1)

    def fx(fixture: str):
        return request.getfixturevalue(fixture)

    state = case.setup(fx)
    user = fx(case.user)
    client = verified_login(Client(**META), user)
    url, body = case.call(fx, state)
    assert resolve(urlsplit(url).path).view_name == url_name, f"{name} calls {url}"
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = datetime.now(UTC)

    if case.multipart:
        response = client.post(url, body)
    else:
        send = getattr(client, method.lower())
        response = send(url, json.dumps(body), content_type="application/json")

    assert response.status_code < 300, f"{name}: {response.status_code} {response.content[:600]}"
    events = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id"))
    expect = case.expect(fx, state, response)
    assert [e.action for e in events] == [expect.action], f"{name} wrote {len(events)} events"
    check_event(events[0], expect, ORIGIN, started)
    assert (events[0].actor_id, events[0].actor_label) == (user.pk, user.email)


def test_a_new_api_write_without_a_case_is_found(settings):
    settings.ROOT_URLCONF = "tests.audit.urls_new_endpoint"
    assert "api:probe POST" in api_write_operations() - set(CASES) - set(NOT_WRITES)


def test_a_refused_bulk_import_is_one_event_the_check_that_refused_it(producer, request):
    licence, buyer = transactions_world(request.getfixturevalue)
    bad = body(licence, buyer, quantity="-1")
    client = verified_login(Client(**META), producer)
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = client.post(
        reverse("api:transaction-bulk"),
        json.dumps({"reports": [body(licence, buyer), bad]}),
        content_type="application/json",
    )

    assert response.status_code == 400
    (event,) = AuditEvent.objects.filter(id__gt=last_id)
    assert (event.action, event.changes["status"], event.changes["errors"]) == (
        "transactions.import_check",
        "invalid",
        1,
    )
    assert not TransactionReport.objects.exists()
