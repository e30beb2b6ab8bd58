"""Security events reach the audit trail: sign-in, failures, lockouts, MFA changes, refusals."""

from itertools import pairwise

import pytest
from django.test import Client
from django.urls import reverse

from apps.audit.models import AuditEvent
from tests.otp import ensure_totp_device

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_sign_in_and_failure_are_recorded_with_the_address(producer, password):
    client = Client(REMOTE_ADDR="192.0.2.10")
    client.post(reverse("accounts:login"), {"username": producer.email, "password": "nope-nope"})
    client.post(reverse("accounts:login"), {"username": producer.email, "password": password})
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.ip_address == "192.0.2.10"
    assert failed.changes["username"] == producer.email
    assert AuditEvent.objects.get(action="auth.login").actor == producer


def test_a_403_page_is_recorded_with_who_and_where(producer, client_for):
    client_for(producer).get(reverse("accounts:official_list"))
    event = AuditEvent.objects.get(action="security.permission_denied")
    assert event.actor == producer
    assert event.changes == {"method": "GET", "path": reverse("accounts:official_list")}


def test_a_403_from_the_api_is_recorded(pending_producer, client_for):
    client_for(pending_producer).get(reverse("api:organisation-list"))
    assert AuditEvent.objects.filter(
        action="security.permission_denied", actor=pending_producer
    ).exists()


def test_mfa_changes_are_recorded(producer_admin, client_for):
    from apps.accounts import mfa

    ensure_totp_device(producer_admin)
    mfa.recovery_codes_regenerate(actor=producer_admin)
    mfa.mfa_disable(actor=producer_admin)
    assert {"mfa.recovery_codes_regenerate", "mfa.disable"} <= set(actions())


def test_the_chain_stays_intact_with_security_events(producer, password, client_for):
    from apps.audit.services import compute_hash

    Client().post(reverse("accounts:login"), {"username": producer.email, "password": "x"})
    client_for(producer).get(reverse("accounts:official_list"))
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) >= 2
    for previous, event in pairwise(events):
        assert event.prev_hash == previous.hash
        assert event.hash == compute_hash(event)
