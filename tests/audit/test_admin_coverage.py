"""Every write through the admin writes exactly one audit event, made from a real request.

The operations are found by introspection of the admin site: for every registered ModelAdmin,
add, change and delete where a superuser may, each action it offers, and each view it adds to the
standard ones (a user's password form). Each needs an entry in a tests/<app>/audit_entrypoints.py
(ADMIN_CASES, or ADMIN_NOT_WRITES with the reason), so a new admin cannot write unaudited.
"""

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.accounts.models import Organisation, User
from apps.audit.models import AuditEvent
from apps.core.roles import Role
from tests.audit.admin_forms import admin_url, form_data
from tests.audit.coverage import check_event, entrypoints
from tests.conftest import verified_login
from tests.factories import UserFactory

CASES = entrypoints("ADMIN_CASES")
NOT_WRITES = entrypoints("ADMIN_NOT_WRITES")
STANDARD_VIEWS = {"changelist", "add", "history", "delete", "change"}
ORIGIN = {"ip_address": "203.0.113.9", "user_agent": "CoverageAdmin/1.0", "request_id": "req-adm"}
META = {
    "REMOTE_ADDR": ORIGIN["ip_address"],
    "HTTP_USER_AGENT": ORIGIN["user_agent"],
    "HTTP_X_REQUEST_ID": ORIGIN["request_id"],
}


@pytest.fixture
def superuser(db):
    """The most the admin allows anyone: a superuser (an administrator, so MFA-verified too)."""
    return UserFactory(
        roles=[Role.ADMINISTRATOR], email="super@authority.test", is_staff=True, is_superuser=True
    )


def admin_operations(user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    operations = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        for verb in ("add", "change", "delete"):
            allowed = getattr(model_admin, f"has_{verb}_permission")
            if allowed(request) if verb == "add" else allowed(request, None):
                operations.add(f"{label} {verb}")
        operations |= {f"{label} action {name}" for name in model_admin.get_actions(request)}
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        operations |= {
            f"{label} view {pattern.name}"
            for pattern in model_admin.get_urls()
            if pattern.name and pattern.name.removeprefix(prefix) not in STANDARD_VIEWS
        }
    return operations


def test_every_admin_write_has_an_audit_case(superuser):
    operations = admin_operations(superuser)
    missing = operations - set(CASES) - set(NOT_WRITES)
    assert not missing, (
        "Add these admin operations to tests/<app>/audit_entrypoints.py (ADMIN_CASES, or "
        f"ADMIN_NOT_WRITES with the reason they write nothing audited): {sorted(missing)}"
    )
    stale = (set(CASES) | set(NOT_WRITES)) - operations
    assert not stale, f"These admin cases name no admin operation any more: {sorted(stale)}"
    assert all(reason.strip() for reason in NOT_WRITES.values())


def test_an_administrator_cannot_edit_what_code_or_services_own(superuser):
    """Roles (apps.core.roles), authenticators (apps.accounts.mfa), invitations, tokens and the
    audit trail are read-only in the admin: no add, change, delete or action on them."""
    operations = admin_operations(superuser)
    for label in (
        "auth.Group",
        "otp_totp.TOTPDevice",
        "otp_static.StaticDevice",
        "accounts.Invitation",
        "accounts.ApiToken",
        "audit.AuditEvent",
        "audit.ChainCheckpoint",
        "audit.ExportJob",
    ):
        assert not {op for op in operations if op.startswith(f"{label} ")}, label


@pytest.mark.parametrize("name", sorted(CASES))
def test_admin_write_records_exactly_one_audit_event(name, superuser, request):
    case = CASES[name]

    def fx(fixture: str):
        return superuser if fixture == "superuser" else request.getfixturevalue(fixture)

    state = case.setup(fx)
    client = verified_login(Client(**META), superuser)
    url, form = case.post(fx, state)
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = datetime.now(UTC)

    response = client.post(url, form)

    errors = getattr(response, "context", None) and _form_errors(response.context)
    assert response.status_code == 302, f"{name}: {response.status_code} {errors}"
    events = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id"))
    expect = case.expect(fx, state)
    assert [e.action for e in events] == [expect.action], f"{name} wrote {len(events)} events"
    check_event(events[0], expect, ORIGIN, started)
    assert events[0].actor_id == superuser.pk


def _form_errors(context) -> dict:
    form = context.get("adminform")
    return dict(form.form.errors) if form is not None else {}


def test_a_users_roles_changed_in_the_admin_are_recorded_by_name(superuser, reviewer):
    client = verified_login(Client(**META), superuser)
    approver_role = Group.objects.get(name=Role.APPROVER.value)
    form = form_data(User, superuser, reviewer, groups=[str(approver_role.pk)])

    client.post(admin_url(User, "change", reviewer.pk), form)

    event = AuditEvent.objects.get(action="admin.user.change", object_id=str(reviewer.pk))
    assert event.changes["groups"] == [["reviewer"], ["approver"]]


def test_a_password_set_in_the_admin_is_recorded_as_changed_never_as_its_hash(superuser):
    user = UserFactory(email="locked-out@authority.test")
    client = verified_login(Client(**META), superuser)
    password = "a-brand-new-horse-staple"

    client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": password, "password2": password, "usable_password": "true"},
    )

    user.refresh_from_db()
    event = AuditEvent.objects.get(action="admin.user.change", object_id=str(user.pk))
    assert user.check_password(password)
    assert event.changes == {"password": ["(hidden)", "(hidden)"]}


def test_a_new_admin_action_without_a_case_is_found(superuser, monkeypatch):
    model_admin = admin.site._registry[Organisation]

    @admin.action(description="Probe")
    def probe(modeladmin, request, queryset):
        queryset.update(status="verified")

    monkeypatch.setattr(model_admin, "actions", [probe])
    operations = admin_operations(superuser) - set(CASES) - set(NOT_WRITES)
    assert "accounts.Organisation action probe" in operations
