"""The producers' API: drafts in one payload, actions, errors in the standard body, scope."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.audit.models import AuditEvent
from apps.licensing.models import Application
from apps.licensing.workflow import ApplicationStatus as S
from tests.licensing.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(producer):
    client = APIClient()
    client.force_authenticate(producer)
    return client


def payload(dysprosium, buyer, **overrides):
    return {
        "licence_type": "single",
        "contract_number": "C-API-1",
        "contract_date": "2026-01-05",
        "trade_mode": "general_trade",
        "payment_method": "lc",
        "transport_mode": "air",
        "port_of_exit": "Shanghai Pudong",
        "destination_country": "JP",
        "final_destination": "Nagoya",
        "end_use": "Magnets for hybrid cars",
        "end_use_sector": "automotive",
        "lines": [
            {
                "catalogue_entry": dysprosium.pk,
                "form": "metal",
                "quantity": "50.5",
                "unit": "kg",
                "unit_price": "400.00",
                "currency": "JPY",
                "hs_code": "2805301200",
            }
        ],
        "parties": [
            {"client": buyer.pk, "role": "purchaser"},
            {"client": buyer.pk, "role": "consignee"},
            {"client": buyer.pk, "role": "end_user"},
        ],
        **overrides,
    }


def post_json(api, url, data=None):
    return api.post(url, json.dumps(data or {}), content_type="application/json")


def test_create_a_draft_with_lines_and_parties_in_one_payload(api, dysprosium, client_book):
    response = post_json(
        api, reverse("api:application-list"), payload(dysprosium, client_book["buyer"])
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    app = Application.objects.get(pk=body["id"])
    assert body["status"] == "draft"
    assert body["expected_next"] == "complete_and_submit"
    assert body["lines"][0]["line_value"] == "20200.00"
    assert {p["role"] for p in body["parties"]} == {"purchaser", "consignee", "end_user"}
    assert app.lines.count() == 1
    assert app.parties.count() == 3


def test_bad_line_gives_field_errors_and_creates_nothing(api, dysprosium, client_book):
    bad = payload(dysprosium, client_book["buyer"])
    bad["lines"][0].update({"hs_code": "123", "currency": "ABC", "quantity": "0"})
    response = post_json(api, reverse("api:application-list"), bad)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]["lines"]["0"]
    assert set(fields) == {"hs_code", "currency", "quantity"}
    assert fields["quantity"] == ["The quantity must be positive."]
    assert not Application.objects.exists()


def test_foreign_party_rolls_back_the_whole_create(
    api, dysprosium, client_book, other_company, other_producer
):
    from tests.licensing.conftest import make_client

    foreign = make_client(other_company, other_producer, "Foreign KK", ["purchaser"])
    data = payload(
        dysprosium, client_book["buyer"], parties=[{"client": foreign.pk, "role": "purchaser"}]
    )
    response = post_json(api, reverse("api:application-list"), data)
    assert response.status_code == 400
    assert "not in your client book" in response.json()["error"]["message"]
    assert not Application.objects.exists()


def test_submit_incomplete_lists_every_problem_then_complete_submits_and_double_is_409(
    api, dysprosium, client_book
):
    created = post_json(
        api, reverse("api:application-list"), payload(dysprosium, client_book["buyer"])
    ).json()
    submit = reverse("api:application-submit", args=[created["id"]])
    response = post_json(api, submit)
    assert response.status_code == 400
    problems = response.json()["error"]["fields"]["__all__"]
    assert "Attach the contract copy." in problems
    assert "Attach the end-user certificate." in problems
    documents = reverse("api:application-documents", args=[created["id"]])
    for kind in ("contract", "technical", "end_user_certificate", "end_use_statement"):
        response = api.post(
            documents, {"kind": kind, "file": pdf(f"{kind}.pdf")}, format="multipart"
        )
        assert response.status_code == 201
        assert response.json()["download_url"].endswith("/download/")
    response = post_json(api, submit)
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    response = post_json(api, submit)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_update_replaces_lines_and_refuses_after_submission(api, make_draft, advance, dysprosium):
    app = make_draft()
    url = reverse("api:application-detail", args=[app.pk])
    response = api.patch(
        url,
        json.dumps({"port_of_exit": "Tianjin", "contract_date": None}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    app.refresh_from_db()
    assert (app.port_of_exit, app.contract_date) == ("Tianjin", None)
    api.patch(url, json.dumps({"contract_date": "2026-01-05"}), content_type="application/json")
    advance(app, S.SUBMITTED)
    response = api.patch(
        url, json.dumps({"port_of_exit": "Dalian"}), content_type="application/json"
    )
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.port_of_exit == "Tianjin"


def test_upload_of_a_fake_pdf_is_refused(api, make_draft):
    app = make_draft()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.pdf", b"<svg onload=alert(1)>", "application/pdf")
    response = api.post(
        reverse("api:application-documents", args=[app.pk]),
        {"kind": "other", "file": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"]


def test_withdraw_copy_and_forged_actions(api, make_draft, advance):
    app = make_draft()
    withdraw = reverse("api:application-withdraw", args=[app.pk])
    assert (
        post_json(api, withdraw, {"reason": "x"}).status_code == 409
    )  # a draft: nothing to withdraw
    answer = reverse("api:application-answer", args=[app.pk])
    assert post_json(api, answer, {"answer": "x"}).status_code == 409
    advance(app, S.UNDER_REVIEW)
    assert post_json(api, withdraw, {}).status_code == 400
    response = post_json(api, withdraw, {"reason": "Buyer cancelled"})
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    response = post_json(api, reverse("api:application-copy", args=[app.pk]))
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert response.json()["copied_from"] == app.pk


def test_answer_with_attachment_over_multipart(api, make_draft, advance):
    app = advance(make_draft(), S.INFORMATION_REQUESTED)
    response = api.post(
        reverse("api:application-answer", args=[app.pk]),
        {"answer": "See the certificate.", "attachments": [pdf("cert.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "under_review"
    assert body["information_requests"][0]["answer"] == "See the certificate."
    assert any(d["kind"] == "rfi_answer" for d in body["documents"])


def test_other_companys_application_and_licence_are_404(
    client_for, other_producer, make_draft, advance
):
    app = advance(make_draft(), S.APPROVED)
    api = APIClient()
    api.force_authenticate(other_producer)
    assert api.get(reverse("api:application-detail", args=[app.pk])).status_code == 404
    assert post_json(api, reverse("api:application-submit", args=[app.pk])).status_code == 404
    assert api.get(reverse("api:licence-detail", args=[app.licence.pk])).status_code == 404
    assert api.get(reverse("api:application-list")).json()["count"] == 0


def test_officials_are_refused_the_producer_api(reviewer, make_draft):
    app = make_draft()
    api = APIClient()
    api.force_authenticate(reviewer)
    response = post_json(api, reverse("api:application-submit", args=[app.pk]))
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == S.DRAFT


def test_producer_serializer_hides_the_authoritys_internals(api, make_draft, reviewer):
    from apps.licensing import services

    app = make_draft()
    services.application_submit(actor=app.created_by, application=app)
    services.application_take(actor=reviewer, application=app)
    services.application_recommend(
        actor=reviewer, application=app, recommendation="deny", reasons="SECRET-REASONING"
    )
    services.note_add(actor=reviewer, application=app, body="SECRET-NOTE")
    text = api.get(reverse("api:application-detail", args=[app.pk])).content.decode()
    for secret in ("SECRET-REASONING", "SECRET-NOTE", reviewer.email, "recommendation"):
        assert secret not in text
    text = api.get(reverse("api:application-list")).content.decode()
    assert "SECRET" not in text


def test_licences_with_lines_and_balances(api, make_draft, advance):
    app = advance(make_draft(), S.APPROVED)
    body = api.get(reverse("api:licence-list")).json()
    assert body["count"] == 1
    line = body["results"][0]["lines"][0]
    assert (line["quantity_granted"], line["balance"], line["unit"]) == ("100.000", "100.000", "kg")
    assert body["results"][0]["number"] == app.licence.number
    detail = api.get(reverse("api:application-detail", args=[app.pk])).json()
    assert detail["expected_next"] == "licence_issued"
    assert detail["licence"]["number"] == app.licence.number


def test_schema_names_the_producer_actions(client_for, producer):
    schema = client_for(producer).get(reverse("api-schema")).content.decode()
    for path in (
        "/submit/",
        "/withdraw/",
        "/copy/",
        "/answer/",
        "/documents/",
        "/api/v1/licences/",
    ):
        assert path in schema


def test_a_draft_with_parties_is_one_audit_event(api, dysprosium, client_book):
    before = AuditEvent.objects.count()
    response = post_json(
        api, reverse("api:application-list"), payload(dysprosium, client_book["buyer"])
    )
    assert response.status_code == 201, response.json()
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == ["application.create"]
    buyer = client_book["buyer"].pk
    assert sorted(events[0].changes["parties"]) == sorted(
        [[buyer, "purchaser"], [buyer, "consignee"], [buyer, "end_user"]]
    )


def test_an_answer_with_attachments_is_one_audit_event(api, make_draft, advance):
    app = advance(make_draft(), S.INFORMATION_REQUESTED)
    before = AuditEvent.objects.count()
    response = api.post(
        reverse("api:application-answer", args=[app.pk]),
        {"answer": "Both attached.", "attachments": [pdf("a.pdf"), pdf("b.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1, [e.action for e in events]
    attached = events[0].changes["attachments"]
    assert sorted(a["document"] for a in attached) == sorted(
        app.documents.filter(kind="rfi_answer").values_list("pk", flat=True)
    )
    assert all(a["kind"] == "rfi_answer" and len(a["sha256"]) == 64 for a in attached)
