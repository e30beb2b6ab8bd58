"""Sign-in throttling per (account, address) and per address; API request budgets."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts import services as account_services
from apps.audit.models import AuditEvent
from apps.core.security import throttle
from apps.core.security.client import client_ip

pytestmark = pytest.mark.django_db


def attempt(user_email, password, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        reverse("accounts:login"), {"username": user_email, "password": password}
    )
    return client, response


def fail(user_email, times, ip="10.0.0.1"):
    for _ in range(times):
        _client, response = attempt(user_email, "wrong-password-123", ip)
        assert response.status_code == 200


def test_after_five_failures_even_the_right_password_waits(producer, password, settings):
    fail(producer.email, settings.LOGIN_FAILURES_BEFORE_BACKOFF)
    _client, response = attempt(producer.email, password)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.lockout").exists()


def test_an_attacker_elsewhere_cannot_lock_the_real_user_out(producer, password, settings):
    fail(producer.email, settings.LOGIN_FAILURES_BEFORE_BACKOFF + 3, ip="203.0.113.9")
    _client, response = attempt(producer.email, password, ip="198.51.100.7")
    assert response.status_code == 302


def test_one_address_spraying_many_accounts_is_blocked(producer, producer_admin, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    for n in range(6):
        attempt(f"nobody{n}@example.test", "wrong-password-123", ip="203.0.113.50")
    _client, response = attempt(producer_admin.email, "wrong-password-123", ip="203.0.113.50")
    assert "Too many failed sign-in attempts" in response.content.decode()
    event = AuditEvent.objects.filter(action="auth.lockout").order_by("-id").first()
    assert event.changes["scope"] == "address"
    assert event.ip_address == "203.0.113.50"


def test_attempts_while_paused_do_not_check_the_password(producer, password, settings):
    fail(producer.email, settings.LOGIN_FAILURES_BEFORE_BACKOFF)
    failures_before = AuditEvent.objects.filter(action="auth.lockout").count()
    for _ in range(3):
        _client, response = attempt(producer.email, password)
        assert response.status_code == 200
    assert AuditEvent.objects.filter(action="auth.lockout").count() == failures_before


def test_back_off_doubles_and_is_capped(settings):
    settings.LOGIN_FAILURES_BEFORE_BACKOFF = 5
    settings.LOGIN_BACKOFF_BASE = 60
    settings.LOGIN_BACKOFF_MAX = 3600
    assert [throttle.backoff_seconds(n) for n in (4, 5, 6, 7, 12)] == [0, 60, 120, 240, 3600]


def test_a_success_clears_the_account_counter(producer, password, settings):
    fail(producer.email, settings.LOGIN_FAILURES_BEFORE_BACKOFF - 1)
    _client, response = attempt(producer.email, password)
    assert response.status_code == 302
    fail(producer.email, settings.LOGIN_FAILURES_BEFORE_BACKOFF - 1)
    _client, response = attempt(producer.email, password)
    assert response.status_code == 302


def test_reauthentication_counts_failures_too(producer, client_for, settings):
    client = client_for(producer)
    for _ in range(settings.LOGIN_FAILURES_BEFORE_BACKOFF):
        client.post(reverse("accounts:reauthenticate"), {"password": "wrong-password-123"})
    response = client.post(reverse("accounts:reauthenticate"), {"password": "whatever-123456"})
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.1.1.1"


def test_behind_one_proxy_the_address_it_appended_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23")
    assert client_ip(request) == "198.51.100.23"  # 6.6.6.6 was written by the client itself
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(spoofed) == "10.0.0.2"


def test_api_token_requests_are_rate_limited(producer_admin, settings):
    settings.API_RATE_USER = "3/minute"
    key = account_services.api_token_create(actor=producer_admin, name="erp", expires_in_days=1)[1]
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    statuses = [client.get(reverse("api:me")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(reverse("api:me")).json()["error"]["code"] == "throttled"
