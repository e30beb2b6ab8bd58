import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import Membership, Organisation, User
from apps.audit.models import AuditEvent
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.core.roles import Role, user_roles
from tests.factories import valid_uscc

pytestmark = pytest.mark.django_db

GOOD = {
    "legal_name": "Ganzhou Heavy Rare Earth Co., Ltd.",
    "native_name": "赣州重稀土有限公司",
    "uscc": valid_uscc(4242),
    "province": "Jiangxi",
    "address": "1 Rare Earth Avenue, Ganzhou",
    "admin_full_name": "Liu Yang",
    "admin_email": "liu@heavy.test",
    "password": "a-long-and-unusual-passphrase",
    "password_confirm": "a-long-and-unusual-passphrase",
}


def post_registration(client, **changes):
    return client.post(reverse("accounts:register"), {**GOOD, **changes})


def test_registration_creates_pending_company_and_its_administrator(client):
    response = post_registration(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:registration_status")
    org = Organisation.objects.get(uscc=GOOD["uscc"])
    assert org.status == Organisation.Status.PENDING
    user = User.objects.get(email="liu@heavy.test")
    assert user.membership.organisation == org
    assert user_roles(user) == {Role.PRODUCER_ADMIN}
    assert (
        AuditEvent.objects.filter(action="organisation.register", object_id=str(org.pk)).count()
        == 1
    )


def test_pending_company_user_sees_only_the_registration_status(client):
    post_registration(client)

    home = client.get(reverse("core:home"))
    team = client.get(reverse("accounts:team"))
    status = client.get(reverse("accounts:registration_status"))

    assert home.status_code == 302
    assert home["Location"] == reverse("accounts:registration_status")
    assert team.status_code == 302
    assert "Pending verification" in status.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"uscc": "91330000MA0000001X"}, "uscc", "check digit"),
        ({"uscc": "1234"}, "uscc", "18 characters"),
        ({"uscc": "91330000MA00000I10"}, "uscc", "not a unified social credit code"),
        ({"password": "password", "password_confirm": "password"}, "password", "too short"),
        ({"password_confirm": "something-else-entirely"}, "password_confirm", "differ"),
        ({"admin_email": "not-an-email"}, "admin_email", "valid email"),
        ({"legal_name": ""}, "legal_name", "required"),
    ],
)
def test_bad_registration_gets_a_specific_message_and_creates_nothing(
    client, changes, field, message
):
    response = post_registration(client, **changes)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_duplicate_company_is_refused_and_nothing_is_created(client, company):
    response = post_registration(client, uscc=company.uscc, legal_name=company.legal_name.upper())

    errors = response.context["form"].errors
    assert "already registered" in errors["uscc"][0]
    assert "already registered" in errors["legal_name"][0]
    assert Organisation.objects.count() == 1
    assert not User.objects.filter(email=GOOD["admin_email"]).exists()


def test_registration_with_an_existing_email_is_refused(client, producer_admin):
    response = post_registration(client, admin_email=producer_admin.email.upper())

    assert "already exists" in response.context["form"].errors["admin_email"][0]
    assert not Organisation.objects.filter(uscc=GOOD["uscc"]).exists()


def test_administrator_verifies_a_company_and_its_users_are_told(administrator, pending_producer):
    org = pending_producer.membership.organisation

    services.organisation_set_status(actor=administrator, organisation=org, action="verify")

    org.refresh_from_db()
    assert org.status == "verified"
    assert org.verified_at is not None
    assert AuditEvent.objects.filter(action="organisation.verify").count() == 1


def test_verification_email_is_sent_after_commit(
    administrator, pending_producer, django_capture_on_commit_callbacks
):
    org = pending_producer.membership.organisation
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_set_status(actor=administrator, organisation=org, action="verify")

    assert [m.to for m in mail.outbox] == [[pending_producer.email]]
    assert "Verified" in mail.outbox[0].subject


def test_verifying_twice_is_a_no_op(administrator, pending_producer):
    org = pending_producer.membership.organisation
    services.organisation_set_status(actor=administrator, organisation=org, action="verify")
    services.organisation_set_status(actor=administrator, organisation=org, action="verify")

    assert AuditEvent.objects.filter(action="organisation.verify").count() == 1


def test_suspension_needs_a_reason(administrator, company):
    with pytest.raises(DomainError, match="reason"):
        services.organisation_set_status(
            actor=administrator, organisation=company, action="suspend"
        )
    company.refresh_from_db()
    assert company.status == "verified"


def test_verifying_a_suspended_company_is_refused_reinstate_is_the_way(administrator, company):
    services.organisation_set_status(
        actor=administrator, organisation=company, action="suspend", reason="Export fraud probe"
    )

    with pytest.raises(ConflictError, match="suspended"):
        services.organisation_set_status(actor=administrator, organisation=company, action="verify")
    services.organisation_set_status(actor=administrator, organisation=company, action="reinstate")

    company.refresh_from_db()
    assert company.status == "verified"


@pytest.mark.parametrize("role", ["reviewer", "approver", "auditor", "producer_admin"])
def test_only_administrators_verify(request, role, pending_company):
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDeniedError):
        services.organisation_set_status(actor=actor, organisation=pending_company, action="verify")
    pending_company.refresh_from_db()
    assert pending_company.status == "pending"


def test_administrator_verifies_through_the_page(client_for, administrator, pending_company):
    client = client_for(administrator)
    url = reverse("accounts:organisation_detail", args=[pending_company.pk])

    response = client.post(url, {"action": "verify", "reason": ""})

    assert response.status_code == 302
    pending_company.refresh_from_db()
    assert pending_company.status == "verified"


def test_reviewer_cannot_verify_through_the_page(client_for, reviewer, pending_company):
    url = reverse("accounts:organisation_detail", args=[pending_company.pk])

    response = client_for(reviewer).post(url, {"action": "verify"})

    assert response.status_code == 403
    pending_company.refresh_from_db()
    assert pending_company.status == "pending"


def test_organisation_list_filters_sorts_and_pages(
    client_for, administrator, company, pending_company
):
    client = client_for(administrator)

    pending = client.get(reverse("accounts:organisation_list"), {"status": "pending"})
    search = client.get(reverse("accounts:organisation_list"), {"q": "Ganzhou"})
    sorted_desc = client.get(reverse("accounts:organisation_list"), {"sort": "-name"})

    assert [o.pk for o in pending.context["object_list"]] == [pending_company.pk]
    assert [o.pk for o in search.context["object_list"]] == [company.pk]
    names = [o.legal_name for o in sorted_desc.context["object_list"]]
    assert names == sorted(names, reverse=True)


def test_membership_is_unique_per_user(producer_admin, other_company):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=producer_admin, organisation=other_company, role="producer_staff"
        )


def test_organisation_filter_answers_htmx_with_the_table_only(client_for, reviewer, company):
    response = client_for(reviewer).get(
        reverse("accounts:organisation_list"), {"q": "Ganzhou"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert company.legal_name in html
    assert "<html" not in html
