"""Session timeouts, ending sessions on deactivation and password change, re-authentication."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from apps.accounts import services as account_services
from apps.audit.models import AuditEvent
from apps.core.security.sessions import AUTH_AT, LOGIN_AT, SEEN_AT

pytestmark = pytest.mark.django_db


def shift_session(client, **stamps):
    session = client.session
    for key, seconds_ago in stamps.items():
        session[key] = time.time() - seconds_ago
    session.save()


def test_an_idle_session_is_signed_out(producer, client_for, settings):
    client = client_for(producer)
    shift_session(client, **{SEEN_AT: settings.SESSION_IDLE_TIMEOUT + 5})
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(
        action="auth.session_expired", actor=producer, changes__reason="idle"
    ).exists()


def test_an_active_session_still_ends_at_the_absolute_limit(producer, client_for, settings):
    client = client_for(producer)
    shift_session(client, **{LOGIN_AT: settings.SESSION_ABSOLUTE_TIMEOUT + 5, SEEN_AT: 1})
    response = client.get("/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action="auth.session_expired", changes__reason="absolute"
    ).exists()


def test_activity_keeps_a_session_alive(producer, client_for, settings):
    client = client_for(producer)
    shift_session(client, **{SEEN_AT: settings.SESSION_IDLE_TIMEOUT - 30})
    assert client.get("/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5  # the visit moved the idle clock


def test_deactivating_a_colleague_ends_their_sessions_and_tokens(
    producer_admin, producer, client_for
):
    their_browser = client_for(producer)
    key = account_services.api_token_create(actor=producer, name="erp", expires_in_days=1)[1]
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == 200

    account_services.member_set_active(actor=producer_admin, member=producer, active=False)

    assert their_browser.get("/").status_code == 302
    assert api.get(reverse("api:me")).status_code == 401
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(producer.pk)
    ]
    account_services.member_set_active(actor=producer_admin, member=producer, active=True)
    assert api.get(reverse("api:me")).status_code == 401  # reactivation revives no old token


def test_deactivating_an_official_ends_their_sessions(administrator, reviewer, client_for):
    their_browser = client_for(reviewer)
    account_services.official_set_active(actor=administrator, official=reviewer, active=False)
    assert their_browser.get("/").status_code == 302
    event = AuditEvent.objects.get(action="user.deactivate", object_id=str(reviewer.pk))
    assert event.changes["sessions_ended"] == 1


def test_changing_the_password_signs_out_other_sessions(producer, client_for, password):
    laptop = client_for(producer)
    phone = client_for(producer)
    new_password = "another-long-passphrase-77"
    response = laptop.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_token_creation_needs_a_recent_password(producer_admin, client_for, settings, password):
    client = client_for(producer_admin)
    shift_session(client, **{AUTH_AT: settings.RECENT_AUTH_MAX_AGE + 5})
    response = client.post(reverse("accounts:token_list"), {"name": "erp", "expires_in_days": 30})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not producer_admin.api_tokens.exists()

    response = client.post(
        reverse("accounts:reauthenticate"),
        {"password": password, "next": reverse("accounts:token_list")},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:token_list")
    response = client.post(reverse("accounts:token_list"), {"name": "erp", "expires_in_days": 30})
    assert response.status_code == 200
    assert response.context["new_key"]
    assert AuditEvent.objects.filter(action="auth.reauthenticate", actor=producer_admin).exists()


def test_reauthentication_of_an_mfa_user_needs_the_code(reviewer, client_for, password):
    from tests.otp import totp_code_for

    client = client_for(reviewer)
    shift_session(client, **{AUTH_AT: 10_000})
    response = client.post(reverse("accounts:reauthenticate"), {"password": password})
    assert response.status_code == 200
    assert time.time() - client.session[AUTH_AT] > 9_000
    response = client.post(
        reverse("accounts:reauthenticate"),
        {"password": password, "token": totp_code_for(reviewer)},
    )
    assert response.status_code == 302


def test_reauthentication_refuses_a_wrong_password(producer, client_for):
    client = client_for(producer)
    shift_session(client, **{AUTH_AT: 10_000})
    response = client.post(reverse("accounts:reauthenticate"), {"password": "not-my-password"})
    assert "That password is not right" in response.content.decode()
    assert time.time() - client.session[AUTH_AT] > 9_000


def test_reauthentication_never_redirects_off_site(producer, client_for, password):
    client = client_for(producer)
    response = client.post(
        reverse("accounts:reauthenticate"), {"password": password, "next": "https://evil.test/"}
    )
    assert response.url == "/"


def test_mfa_changes_need_a_recent_password(reviewer, client_for, settings):
    client = client_for(reviewer)
    shift_session(client, **{AUTH_AT: settings.RECENT_AUTH_MAX_AGE + 5})
    response = client.post(reverse("accounts:mfa_recovery_codes"))
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    response = client.get(reverse("accounts:mfa_setup"))  # replacing the authenticator
    assert response.status_code == 200  # the page shows; confirming it needs the password
    response = client.post(reverse("accounts:mfa_setup"), {"token": "123456"})
    assert response.url.startswith(reverse("accounts:reauthenticate"))


def test_recent_auth_decorator_lets_reads_through(producer_admin, client_for, settings):
    client = client_for(producer_admin)
    shift_session(client, **{AUTH_AT: settings.RECENT_AUTH_MAX_AGE + 5})
    assert client.get(reverse("accounts:token_list")).status_code == 200
