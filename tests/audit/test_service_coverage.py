"""Every service writes exactly one audit event with actor, action, object, changes, time, origin.

Services are found by introspection of apps/*/services.py; each needs an entry in its app's
tests/<app>/audit_cases.py (see tests/audit/coverage.py), so later apps are covered by design.
"""

from datetime import UTC, datetime

import pytest

from apps.audit.models import AuditEvent
from apps.core import context
from tests.audit.coverage import check_event, registered, service_functions

CASES, NOT_WRITES = registered()
ORIGIN = context.ActionContext(
    request_id="req-coverage-1", ip_address="203.0.113.7", user_agent="CoverageBrowser/1.0"
)
IN_REQUEST = {
    "ip_address": ORIGIN.ip_address,
    "user_agent": ORIGIN.user_agent,
    "request_id": ORIGIN.request_id,
}


def test_every_service_has_an_audit_case():
    services = set(service_functions())
    missing = services - set(CASES) - set(NOT_WRITES)
    assert not missing, (
        f"Add these services to tests/<app>/audit_cases.py (CASES, or NOT_WRITES with the "
        f"reason they write nothing audited): {sorted(missing)}"
    )
    stale = (set(CASES) | set(NOT_WRITES)) - services
    assert not stale, f"These audit cases name no service any more: {sorted(stale)}"
    assert all(reason.strip() for reason in NOT_WRITES.values())


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_writes_exactly_one_audit_event(name, request, db):
    case = CASES[name]

    def fx(fixture: str):
        return request.getfixturevalue(fixture)

    state = case.setup(fx)
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = datetime.now(UTC)
    token = context.bind(ORIGIN) if case.in_request else None
    try:
        expect = case.call(fx, state)
    finally:
        if token is not None:
            context.reset(token)
    events = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id"))

    assert [e.action for e in events] == [expect.action], f"{name} wrote {len(events)} events"
    check_event(events[0], expect, IN_REQUEST if case.in_request else None, started)
