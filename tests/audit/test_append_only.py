"""The audit trail is append-only: database privileges, a trigger, the ORM and the admin refuse."""

import re
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from apps.audit.models import AppendOnlyError, AuditEvent
from apps.audit.services import audit_record
from apps.core.admin import AuditedModelAdmin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def event(auditor):
    return audit_record(actor=auditor, action="test.write", obj=auditor, changes={"a": 1})


@pytest.fixture
def roles(db):
    """The owner and application roles, created inside the test's transaction (rolled back)."""
    base = connection.settings_dict["NAME"].lower()[:40]
    owner, app = f"{base}_owner", f"{base}_app"
    call_command("audit_db_roles", "--owner", owner, "--app", app, "--apply", verbosity=0)
    return owner, app


def _refused(statement: str, params=None) -> str:
    with connection.cursor() as cursor:
        # Settle the deferred foreign-key checks of this test's own inserts first, or
        # PostgreSQL refuses TRUNCATE for that reason before the trigger is reached.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
            cursor.execute(statement, params)
    return str(excinfo.value)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'forged'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent CASCADE",
    ],
)
def test_application_role_cannot_update_delete_or_truncate_the_trail(roles, event, statement):
    # given the portal runs as the application role
    _owner, app = roles
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{app}"')
    try:
        # when it tries to change the trail, then the privileges refuse before any trigger
        message = _refused(statement)
        assert "permission denied for table audit_auditevent" in message
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(pk=event.pk, action="test.write").exists()


def test_application_role_still_appends_and_reads_the_trail_and_writes_elsewhere(
    roles, event, company, auditor
):
    _owner, app = roles
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{app}"')
        try:
            appended = audit_record(actor=auditor, action="test.append_as_app", obj=company)
            cursor.execute("UPDATE accounts_organisation SET province = 'Jiangxi'")
            cursor.execute("SELECT count(*) FROM audit_auditevent")
            (count,) = cursor.fetchone()
        finally:
            cursor.execute("RESET ROLE")
    assert appended.prev_hash == event.hash
    assert count == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'forged'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent CASCADE",
    ],
)
def test_trigger_refuses_even_the_owner(event, statement):
    # given the owner's (here: superuser's) session, without the test harness's truncate flag
    with connection.cursor() as cursor:
        cursor.execute("SET raretrack.audit_allow_truncate = 'off'")
    try:
        message = _refused(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET raretrack.audit_allow_truncate = 'on'")
    assert "The audit trail is append-only" in message
    assert AuditEvent.objects.filter(pk=event.pk, action="test.write").exists()


def test_audit_db_roles_prints_the_grants_without_applying(db, capsys):
    call_command("audit_db_roles", "--owner", "rt_owner", "--app", "rt_app")
    out = capsys.readouterr().out
    assert 'GRANT SELECT, INSERT ON "audit_auditevent" TO "rt_app"' in out
    assert 'REVOKE ALL ON "audit_auditevent" FROM "rt_app"' in out
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'rt_app'")
        assert cursor.fetchone() == (0,)


def test_orm_refuses_to_change_or_delete_events(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        event.delete()
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.write"


def test_the_audit_trail_has_no_delete_path(rf, administrator):
    """No admin, view or code in apps/ deletes audit events or audited records."""
    request = rf.get("/")
    request.user = administrator
    assert not site._registry[AuditEvent].has_delete_permission(request)
    assert not site._registry[AuditEvent].has_change_permission(request)
    for model, admin in site._registry.items():
        if isinstance(admin, AuditedModelAdmin):
            assert not admin.has_delete_permission(request), model
    deleting = re.compile(r"AuditEvent\b[^\n]*\.delete\(|audit_auditevent[^\n]*DELETE", re.I)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "apps").rglob("*.py")
        if deleting.search(path.read_text())
    ]
    assert offenders == []


def test_retention_is_at_least_five_years(settings):
    assert settings.RECORDS_RETENTION_YEARS >= 5
