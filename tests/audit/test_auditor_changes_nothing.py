"""An auditor can reach everything and change nothing.

Every URL of the portal (taken from the access matrix, which itself must list every URL) is sent
POST, PUT, PATCH and DELETE as an auditor; none may change a row. The detector is PostgreSQL's
own count of rows inserted, updated and deleted in this transaction, so a new endpoint is covered
the day it is added to the matrix.
"""

import pytest
from django.db import connection

from apps.audit.models import AuditEvent
from tests.test_access_matrix import MATRIX
from tests.test_access_matrix import world as world  # the fixture, shared with the matrix

# The auditor's own work and own account, which they may change: each with its reason.
AUDITOR_OWN_WRITES = {
    "audit:export_list": "requesting an export (an export job and its audit event)",
    "accounts:logout": "ending their own session",
    "accounts:set_language": "their own display language",
    "accounts:password_change": "their own password",
    "accounts:token_list": "creating their own API token",
    "accounts:token_revoke": "revoking their own API token",
    "accounts:login": "signing in (session, last login)",
    "accounts:mfa_setup": "enrolling their own authenticator",
    "accounts:mfa_verify": "entering their own one-time code",
    "accounts:mfa_recovery_codes": "regenerating their own recovery codes",
    "accounts:mfa_disable": "refused for officials; their own device only",
    "accounts:reauthenticate": "confirming their own password",
}
WRITE_METHODS = ["post", "put", "patch", "delete"]
# Session rows and sign-in bookkeeping are not records.
# Refusals are themselves recorded (security.permission_denied): the audit table is checked
# separately below, so that the only thing an auditor's write attempt may add is that record.
IGNORED_TABLES = ("django_session", "audit_auditevent")


def _rows_changed() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables WHERE relname <> ALL(%s)",
            [list(IGNORED_TABLES)],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("name", sorted(set(MATRIX) - set(AUDITOR_OWN_WRITES)))
def test_auditor_cannot_write_through_any_url(name, world, client_for):
    """Every write method on every URL, as the auditor: no row changes (one world per URL)."""
    case = MATRIX[name]
    client = client_for(world.users["auditor"])
    url = case.url(world)
    data = case.data(world) if callable(case.data) else case.data
    for method in WRITE_METHODS:
        before = _rows_changed()
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = getattr(client, method)(url, data, content_type=_content_type(method))
        assert _rows_changed() == before, f"{method.upper()} {name} as auditor changed rows"
        new_actions = set(
            AuditEvent.objects.filter(id__gt=last_event).values_list("action", flat=True)
        )
        assert new_actions <= {"security.permission_denied"}, (name, method, new_actions)
        assert response.status_code in {200, 302, 401, 403, 404, 405, 410}, (
            f"{method.upper()} {name} as auditor: {response.status_code}"
        )


def _content_type(method: str) -> str:
    return (
        "multipart/form-data; boundary=BoUnDaRyStRiNg" if method == "post" else "application/json"
    )


def test_every_exempted_write_is_a_real_url():
    assert set(AUDITOR_OWN_WRITES) <= set(MATRIX)


def test_the_detector_sees_a_write(world, client_for):
    """The row counter is not blind: an auditor's own export request shows up in it."""
    before = _rows_changed()
    client_for(world.users["auditor"]).post(
        MATRIX["audit:export_list"].url(world), {"dataset": "users", "format": "xlsx"}
    )
    assert _rows_changed() > before
