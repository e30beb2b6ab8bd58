import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from apps.accounts.models import Organisation, User
from apps.core.roles import GROUP_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_fails_when_the_broker_is_unreachable(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_every_response_carries_a_request_id(client):
    response = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"


@pytest.mark.parametrize("given", ['=HYPERLINK("http://x")', "a b", "x" * 65, "-1", ""])
def test_a_request_id_that_is_not_a_plain_token_is_replaced(client, given):
    response = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@override_settings(DEBUG=True)
def test_seed_demo_creates_one_user_per_role_and_is_idempotent():
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count())
    call_command("seed_demo")

    assert (User.objects.count(), Organisation.objects.count()) == counts
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert Organisation.objects.filter(status="pending").exists()
    assert Organisation.objects.filter(status="verified").count() >= 3


def test_seed_demo_refuses_when_debug_is_off():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_role_groups_carry_exactly_their_permissions():
    for role, codes in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        have = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert have == set(codes), role


def test_django_admin_is_for_administrators_only(
    client_for, administrator, reviewer, producer_admin
):
    assert client_for(administrator).get("/admin/").status_code == 200
    for user in (reviewer, producer_admin, None):
        response = client_for(user).get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_admin_edit_is_audited(client_for, administrator, company):
    from apps.audit.models import AuditEvent

    client_for(administrator).post(
        reverse("admin:accounts_organisation_change", args=[company.pk]),
        {
            "legal_name": company.legal_name,
            "native_name": "新名字",
            "uscc": company.uscc,
            "address": company.address,
            "province": company.province,
            "status": company.status,
            "status_reason": "",
        },
    )

    event = AuditEvent.objects.get(action="admin.organisation.change")
    assert event.changes == {"native_name": [company.native_name, "新名字"]}
    assert event.actor == administrator


def test_language_switch_changes_the_interface_and_is_remembered(client_for, producer_admin):
    client = client_for(producer_admin)
    response = client.post(reverse("accounts:set_language"), {"language": "zh-hans", "next": "/"})
    home = client.get(reverse("core:home"))

    producer_admin.refresh_from_db()
    assert response.status_code == 302
    assert producer_admin.language == "zh-hans"
    assert '<html lang="zh-hans">' in home.content.decode()
    assert "欢迎" in home.content.decode()


def test_language_switch_refuses_an_unknown_language_and_offsite_redirects(
    client_for, producer_admin
):
    client = client_for(producer_admin)
    response = client.post(
        reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.test/"}
    )

    producer_admin.refresh_from_db()
    assert response["Location"] == "/"
    assert producer_admin.language == "en"


def test_password_change_keeps_the_session_and_is_audited(client_for, producer_admin, password):
    from apps.audit.models import AuditEvent

    client = client_for(producer_admin)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "brand-new-passphrase-7",
            "new_password2": "brand-new-passphrase-7",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="user.password_change").count() == 1


def test_password_reset_sends_a_link_only_to_known_addresses(client, producer_admin):
    from django.core import mail

    client.post(reverse("accounts:password_reset"), {"email": producer_admin.email})
    client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.test"})

    assert [m.to for m in mail.outbox] == [[producer_admin.email]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_a_nul_byte_in_the_query_is_a_400_not_a_500(client_for, reviewer):
    api = client_for(reviewer).get("/api/v1/review/cases/", {"destination": "D\x00E"})
    page = client_for(reviewer).get(reverse("accounts:organisation_list"), {"q": "a\x00b"})
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid"
    assert page.status_code == 400
