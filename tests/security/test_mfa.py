"""Two-step verification: who must use it, enrolment, verification, recovery, no way around."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import mfa
from apps.accounts.models import RecoveryCode
from apps.audit.models import AuditEvent
from tests.otp import ensure_totp_device, totp_code_for

pytestmark = pytest.mark.django_db


def password_login(user, password) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def pending_key(client) -> str:
    return client.session["rt_mfa_pending_key"]


def test_official_without_device_is_sent_to_enrolment_before_any_page(reviewer, password):
    client = password_login(reviewer, password)
    for url in ["/", reverse("accounts:organisation_list"), reverse("accounts:token_list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:mfa_setup"))


@pytest.mark.parametrize("role", ["reviewer", "approver", "auditor", "administrator"])
def test_every_official_role_must_verify_after_password(role, request, password):
    user = request.getfixturevalue(role)
    ensure_totp_device(user)
    client = password_login(user, password)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_unverified_official_api_call_with_session_is_refused_as_json(reviewer, password):
    ensure_totp_device(reviewer)
    client = password_login(reviewer, password)
    response = client.get(reverse("api:me"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


def test_enrolment_shows_inline_qr_and_gives_recovery_codes(reviewer, password):
    client = password_login(reviewer, password)
    page = client.get(reverse("accounts:mfa_setup"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "http" not in re.search(r'<img src="([^"]+)"', html).group(1)[:10]
    key = pending_key(client)

    response = client.post(
        reverse("accounts:mfa_setup"), {"token": mfa.totp_code(key), "next": "/"}
    )

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True, key=key).exists()
    assert client.get("/").status_code == 200  # the session is verified by the enrolment
    assert AuditEvent.objects.filter(action="mfa.enrol", actor=reviewer).exists()


def test_enrolment_with_a_wrong_code_creates_nothing(reviewer, password):
    client = password_login(reviewer, password)
    client.get(reverse("accounts:mfa_setup"))
    response = client.post(reverse("accounts:mfa_setup"), {"token": "000000"})
    assert response.status_code == 200
    assert "Wrong or expired code" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reviewer).exists()


def test_login_with_totp_code_opens_the_portal(reviewer, password):
    ensure_totp_device(reviewer)
    client = password_login(reviewer, password)
    response = client.post(
        reverse("accounts:mfa_verify"), {"token": totp_code_for(reviewer), "next": "/"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa.verify", actor=reviewer).exists()


def test_a_totp_code_cannot_be_replayed(reviewer, password):
    ensure_totp_device(reviewer)
    first = password_login(reviewer, password)
    code = totp_code_for(reviewer)
    first.post(reverse("accounts:mfa_verify"), {"token": code})
    second = password_login(reviewer, password)
    response = second.post(reverse("accounts:mfa_verify"), {"token": code})
    assert response.status_code == 200
    assert second.get("/").status_code == 302


def test_wrong_code_is_refused_and_audited(reviewer, password):
    ensure_totp_device(reviewer)
    client = password_login(reviewer, password)
    response = client.post(reverse("accounts:mfa_verify"), {"token": "123456"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="mfa.verify_failed", actor=reviewer).exists()


def test_a_recovery_code_works_exactly_once(reviewer, password):
    ensure_totp_device(reviewer)
    code = mfa.recovery_codes_regenerate(actor=reviewer)[0]
    client = password_login(reviewer, password)
    response = client.post(reverse("accounts:mfa_verify"), {"token": code.upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    again = password_login(reviewer, password)
    again.post(reverse("accounts:mfa_verify"), {"token": code})
    assert again.get("/").status_code == 302
    assert RecoveryCode.objects.filter(device__user=reviewer).count() == 9


def test_enrolled_but_unverified_official_cannot_replace_the_device(reviewer, password):
    ensure_totp_device(reviewer)
    client = password_login(reviewer, password)
    response = client.get(reverse("accounts:mfa_setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_producer_is_not_asked_for_mfa_until_they_opt_in(producer_admin, password):
    client = password_login(producer_admin, password)
    assert client.get("/").status_code == 200
    client.get(reverse("accounts:mfa_setup"))
    client.post(reverse("accounts:mfa_setup"), {"token": mfa.totp_code(pending_key(client))})

    later = password_login(producer_admin, password)
    response = later.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_producer_may_turn_mfa_off_an_official_may_not(producer_admin, reviewer, client_for):
    ensure_totp_device(producer_admin)
    producer_client = client_for(producer_admin)
    session = producer_client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=producer_admin).persistent_id
    session.save()
    response = producer_client.post(reverse("accounts:mfa_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=producer_admin).exists()
    assert AuditEvent.objects.filter(action="mfa.disable", actor=producer_admin).exists()

    official_client = client_for(reviewer)
    assert official_client.post(reverse("accounts:mfa_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=reviewer).exists()


def test_password_reset_does_not_disable_mfa(reviewer, password):
    ensure_totp_device(reviewer)
    uid = urlsafe_base64_encode(force_bytes(reviewer.pk))
    token = default_token_generator.make_token(reviewer)
    client = Client()
    form_url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token])).url
    new_password = "a-new-long-passphrase-2026"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()

    after = password_login(reviewer, new_password)
    response = after.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_django_admin_needs_a_verified_session(administrator, password, client_for):
    ensure_totp_device(administrator)
    unverified = password_login(administrator, password)
    response = unverified.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))

    assert client_for(administrator).get("/admin/").status_code == 200


def test_admin_login_form_is_replaced_by_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_api_token_creation_needs_a_verified_session(producer_admin, password):
    ensure_totp_device(producer_admin)
    client = password_login(producer_admin, password)
    response = client.post(reverse("accounts:token_list"), {"name": "erp", "expires_in_days": 30})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))
    assert not producer_admin.api_tokens.exists()


def test_demo_officials_get_the_documented_authenticator(db):
    from apps.accounts.demo import DEMO_TOTP_KEY, seed

    seed()
    device = TOTPDevice.objects.get(user__email="reviewer@raretrack.demo")
    assert device.key == DEMO_TOTP_KEY
    assert device.confirmed
    assert not TOTPDevice.objects.filter(user__email="producer@ganzhou-magnetics.demo").exists()
