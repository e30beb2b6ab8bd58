import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import ApiToken, User
from apps.core.errors import DomainError, PermissionDeniedError
from apps.core.roles import Role, user_roles

pytestmark = pytest.mark.django_db


def test_administrator_creates_a_reviewer_who_sets_a_password_by_link(
    client_for, administrator, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("accounts:official_list"),
            {"full_name": "Li Na", "email": "li.na@authority.test", "roles": ["reviewer"]},
        )
    assert response.status_code == 302
    official = User.objects.get(email="li.na@authority.test")
    assert user_roles(official) == {Role.REVIEWER}
    assert not official.has_usable_password()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("8000", 1)[-1].strip()

    form = client.get(path, follow=True)
    set_password = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "reviewer-passphrase-2026", "new_password2": "reviewer-passphrase-2026"},
    )

    assert set_password.status_code == 302
    assert client.login(username="li.na@authority.test", password="reviewer-passphrase-2026")


def test_official_form_requires_a_role(client_for, administrator):
    response = client_for(administrator).post(
        reverse("accounts:official_list"), {"full_name": "X", "email": "x@authority.test"}
    )
    assert "roles" in response.context["form"].errors
    assert not User.objects.filter(email="x@authority.test").exists()


def test_producers_cannot_be_given_official_roles_by_the_service(administrator):
    with pytest.raises(DomainError, match="at least one role"):
        services.official_create(
            actor=administrator, email="y@a.test", full_name="Y", roles=["producer_admin"]
        )


def test_only_administrators_create_officials(reviewer):
    with pytest.raises(PermissionDeniedError):
        services.official_create(
            actor=reviewer, email="y@a.test", full_name="Y", roles=["reviewer"]
        )


def test_deactivated_official_cannot_sign_in(client_for, administrator, reviewer, client, password):
    client_for(administrator).post(
        reverse("accounts:official_toggle", args=[reviewer.pk]), {"active": "0"}
    )

    reviewer.refresh_from_db()
    assert not reviewer.is_active
    assert not client.login(username=reviewer.email, password=password)


def test_token_is_shown_once_stored_hashed_and_authenticates_the_api(
    client_for, producer_admin, client
):
    page = client_for(producer_admin).post(
        reverse("accounts:token_list"), {"name": "ERP", "expires_in_days": "30"}
    )
    key = page.context["new_key"]
    token = ApiToken.objects.get(user=producer_admin)

    assert key.startswith("rt_")
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in {token.key_hash, token.prefix, token.name}
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["email"] == producer_admin.email
    assert response.json()["roles"] == ["producer_admin"]
    again = client_for(producer_admin).get(reverse("accounts:token_list"))
    assert key not in again.content.decode()


def test_revoked_token_is_refused_with_a_json_error(client_for, producer_admin, client):
    token, key = services.api_token_create(actor=producer_admin, name="ERP", expires_in_days=None)
    client_for(producer_admin).post(reverse("accounts:token_revoke", args=[token.pk]))

    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert "revoked" in response.json()["error"]["message"]


def test_token_of_a_deactivated_user_stops_working(producer_admin, producer, client):
    _token, key = services.api_token_create(actor=producer, name="ERP", expires_in_days=30)
    services.member_set_active(actor=producer_admin, member=producer, active=False)

    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401


def test_duplicate_active_token_name_is_refused(producer_admin):
    services.api_token_create(actor=producer_admin, name="ERP", expires_in_days=None)
    with pytest.raises(DomainError, match="already have"):
        services.api_token_create(actor=producer_admin, name="erp", expires_in_days=None)


def test_a_user_cannot_revoke_someone_elses_token(client_for, producer_admin, other_producer):
    token, _key = services.api_token_create(actor=other_producer, name="ERP", expires_in_days=None)

    response = client_for(producer_admin).post(reverse("accounts:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None
