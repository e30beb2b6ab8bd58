"""Licences for officials: list and filters, suspend / reinstate / revoke, amendments, the
printable licence and its PDF, and the public verification page (valid / not valid only)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from apps.licensing.models import Amendment, Licence
from tests.licensing import official_world as ow

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(producer, reviewer, approver):
    return ow.licence(producer, reviewer, approver)


def status_of(licence):
    return Licence.objects.values_list("status", flat=True).get(pk=licence.pk)


def test_licence_list_filters(client_for, reviewer, licence, producer, approver):
    client = client_for(reviewer)
    response = client.get(reverse("review:licence_list"))
    assert response.status_code == 200
    assert licence.number in response.content.decode()
    assert not client.get(reverse("review:licence_list"), {"status": "revoked"}).context[
        "object_list"
    ]
    assert client.get(reverse("review:licence_list"), {"element": "Dy"}).context["object_list"]
    assert not client.get(reverse("review:licence_list"), {"element": "Sc"}).context["object_list"]
    days = (licence.valid_until - licence.issued_on).days
    expiring = client.get(reverse("review:licence_list"), {"expiring_within": days})
    assert [lic.pk for lic in expiring.context["object_list"]] == [licence.pk]
    soon = client.get(reverse("review:licence_list"), {"expiring_within": 5})
    assert not soon.context["object_list"]
    company = client.get(reverse("review:licence_list"), {"company": licence.organisation_id})
    assert list(company.context["object_list"]) == [licence]


def test_approver_suspends_reinstates_and_revokes_with_reasons(client_for, approver, licence):
    client = client_for(approver)
    transition = reverse("review:licence_transition", args=[licence.pk])
    assert client.post(transition, {"action": "suspend", "reason": ""}).status_code == 400
    assert status_of(licence) == "active"
    assert client.post(transition, {"action": "suspend", "reason": "Audit"}).status_code == 302
    assert status_of(licence) == "suspended"
    page = client.get(reverse("review:licence_detail", args=[licence.pk])).content.decode()
    assert "Reinstate" in page
    assert client.post(transition, {"action": "reinstate", "reason": "Cleared"}).status_code == 302
    assert status_of(licence) == "active"
    assert client.post(transition, {"action": "revoke", "reason": "Diversion"}).status_code == 302
    assert status_of(licence) == "revoked"
    # a forged action on a revoked licence is a conflict and changes nothing
    response = client.post(transition, {"action": "reinstate", "reason": "forged"})
    assert response.status_code == 409
    assert status_of(licence) == "revoked"


def test_reviewer_cannot_suspend(client_for, reviewer, licence):
    transition = reverse("review:licence_transition", args=[licence.pk])
    response = client_for(reviewer).post(transition, {"action": "suspend", "reason": "x"})
    assert response.status_code == 403
    assert status_of(licence) == "active"
    page = client_for(reviewer).get(reverse("review:licence_detail", args=[licence.pk]))
    assert "Change the status" not in page.content.decode()


def test_unknown_licence_action_is_refused(client_for, approver, licence):
    transition = reverse("review:licence_transition", args=[licence.pk])
    response = client_for(approver).post(transition, {"action": "expire", "reason": "x"})
    assert response.status_code == 400
    assert status_of(licence) == "active"


def test_amendment_queue_and_decision(client_for, approver, producer, licence):
    amendment = ow.amendment(producer, licence)
    client = client_for(approver)
    response = client.get(reverse("review:amendment_list"), {"status": "requested"})
    assert list(response.context["object_list"]) == [amendment]
    decide = reverse("review:amendment_decide", args=[amendment.pk])
    client.post(decide, {"decision": "grant", "reason": ""})
    assert Amendment.objects.get(pk=amendment.pk).status == "requested"
    assert client.post(decide, {"decision": "grant", "reason": "Fine"}).status_code == 302
    licence.refresh_from_db()
    assert licence.port_of_exit == "Ningbo"
    response = client.post(decide, {"decision": "refuse", "reason": "again"})
    assert response.status_code == 409


def test_amendment_refused_leaves_the_licence_unchanged(client_for, approver, producer, licence):
    amendment = ow.amendment(producer, licence)
    decide = reverse("review:amendment_decide", args=[amendment.pk])
    client_for(approver).post(decide, {"decision": "refuse", "reason": "Port not approved"})
    licence.refresh_from_db()
    assert licence.port_of_exit == "Shanghai"
    assert Amendment.objects.get(pk=amendment.pk).status == "refused"


def test_print_page_for_the_holder_with_qr_and_code(client_for, producer, licence):
    response = client_for(producer).get(reverse("review:licence_print", args=[licence.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert licence.number in html
    assert licence.verification_code in html
    assert "<svg" in html
    assert reverse("review:licence_verify") in html


def test_print_page_is_404_for_another_company(client_for, other_producer, licence):
    url = reverse("review:licence_print", args=[licence.pk])
    assert client_for(other_producer).get(url).status_code == 404


def test_pdf_renders_with_the_number(client_for, producer, approver, licence):
    for user in (producer, approver):
        response = client_for(user).get(reverse("review:licence_pdf", args=[licence.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert licence.number.encode() in response.content


def verify(client, number, code):
    return client.get(reverse("review:licence_verify"), {"number": number, "code": code})


def test_verification_says_valid_and_nothing_else(client, licence):
    response = verify(client, licence.number, licence.verification_code.lower())
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"] is True
    assert licence.organisation.legal_name not in html
    assert "kg" not in html


def test_verification_answers_the_same_for_unknown_number_and_wrong_code(client, licence):
    wrong_code = verify(client, licence.number, "WRONGCODE1")
    unknown = verify(client, "RT-2099-999999", licence.verification_code)
    assert wrong_code.context["result"] is False
    assert unknown.context["result"] is False

    def shape(response) -> str:
        html = re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())  # CSRF tokens
        for value in (licence.number, "RT-2099-999999", licence.verification_code, "WRONGCODE1"):
            html = html.replace(value, "")
        return html

    assert shape(wrong_code) == shape(unknown)
    assert licence.organisation.legal_name not in wrong_code.content.decode()


def test_suspended_or_expired_licence_is_not_valid(client, licence):
    Licence.objects.filter(pk=licence.pk).update(status="suspended")
    assert verify(client, licence.number, licence.verification_code).context["result"] is False
    Licence.objects.filter(pk=licence.pk).update(
        status="active",
        valid_until=licence.issued_on - timedelta(days=1),
        issued_on=licence.issued_on - timedelta(days=30),
    )
    assert verify(client, licence.number, licence.verification_code).context["result"] is False
