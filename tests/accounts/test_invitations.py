from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import Invitation, User
from apps.audit.models import AuditEvent
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.core.roles import Role, user_roles

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-long-passphrase-42"


def invite(actor, email="new.colleague@company.test", role=Role.PRODUCER_STAFF):
    return services.invitation_create(actor=actor, email=email, role=role)


def accept(client, token, **data):
    payload = {
        "full_name": "New Colleague",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    return client.post(reverse("accounts:invitation_accept", args=[token]), {**payload, **data})


def test_invitation_email_carries_a_link_that_creates_the_colleague(
    producer_admin, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(producer_admin)
    assert mail.outbox[0].to == ["new.colleague@company.test"]
    assert token in mail.outbox[0].body
    assert Invitation.objects.get().token_hash != token  # only the hash is stored

    response = accept(client, token)

    assert response.status_code == 302
    user = User.objects.get(email="new.colleague@company.test")
    assert user.membership.organisation == producer_admin.membership.organisation
    assert user_roles(user) == {Role.PRODUCER_STAFF}
    invitation.refresh_from_db()
    assert invitation.state == "accepted"


def test_a_used_invitation_cannot_be_used_again(producer_admin, client):
    _invitation, token = invite(producer_admin)
    accept(client, token)
    client.logout()

    response = client.get(reverse("accounts:invitation_accept", args=[token]))
    with pytest.raises(ConflictError):
        services.invitation_accept(token=token, full_name="Someone", password=NEW_PASSWORD)

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="new.colleague@company.test").count() == 1


def test_an_expired_invitation_creates_nothing(producer_admin, client):
    _invitation, token = invite(producer_admin)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = accept(client, token)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="new.colleague@company.test").exists()


def test_a_new_invitation_replaces_the_open_one(producer_admin, client):
    _first, old_token = invite(producer_admin)
    _second, new_token = invite(producer_admin)

    with pytest.raises(DomainError, match="replaced or withdrawn"):
        services.invitation_accept(token=old_token, full_name="X", password=NEW_PASSWORD)
    assert accept(client, new_token).status_code == 302


def test_unknown_token_is_not_found(client, db):
    response = client.get(reverse("accounts:invitation_accept", args=["nonsense"]))
    assert response.status_code == 404


def test_weak_password_on_acceptance_gets_a_message_and_creates_nothing(producer_admin, client):
    _invitation, token = invite(producer_admin)

    response = accept(client, token, password="12345678", password_confirm="12345678")

    assert "too short" in " ".join(response.context["form"].errors["password"])
    assert not User.objects.filter(email="new.colleague@company.test").exists()


def test_inviting_an_existing_account_is_refused(producer_admin, other_producer):
    with pytest.raises(DomainError, match="already exists"):
        invite(producer_admin, email=other_producer.email)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["producer", "reviewer", "pending_producer"])
def test_only_a_verified_company_administrator_invites(request, role):
    with pytest.raises(PermissionDeniedError):
        invite(request.getfixturevalue(role))
    assert not Invitation.objects.exists()


def test_team_page_invites_and_lists_open_invitations(client_for, producer_admin):
    client = client_for(producer_admin)

    response = client.post(
        reverse("accounts:team"), {"email": "x@company.test", "role": "producer_staff"}
    )
    page = client.get(reverse("accounts:team"))

    assert response.status_code == 302
    assert "x@company.test" in page.content.decode()


def test_team_page_shows_field_error_for_bad_role(client_for, producer_admin):
    response = client_for(producer_admin).post(
        reverse("accounts:team"), {"email": "x@company.test", "role": "administrator"}
    )
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_administrator_deactivates_a_colleague_who_then_cannot_sign_in(
    client_for, producer_admin, producer, client, password
):
    response = client_for(producer_admin).post(
        reverse("accounts:member_toggle", args=[producer.pk]), {"active": "0"}
    )

    producer.refresh_from_db()
    assert response.status_code == 302
    assert not producer.is_active
    assert not client.login(username=producer.email, password=password)
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(producer.pk)).exists()


def test_administrator_cannot_deactivate_themselves(producer_admin):
    with pytest.raises(DomainError, match="own account"):
        services.member_set_active(actor=producer_admin, member=producer_admin, active=False)


def test_withdrawn_invitation_stops_working(client_for, producer_admin):
    invitation, token = invite(producer_admin)

    client_for(producer_admin).post(reverse("accounts:invitation_revoke", args=[invitation.pk]))

    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    with pytest.raises(DomainError):
        services.invitation_accept(token=token, full_name="X", password=NEW_PASSWORD)
