"""The API: single and bulk reports, and an Idempotency-Key that makes retries safe."""

import json
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.licensing.models import LicenceLine
from apps.transactions.models import IdempotencyKey, LedgerEntry, TransactionReport
from tests.transactions.conftest import cdn, days_ago


def body(licence, buyer, quantity="2.5", **overrides):
    loading = days_ago(5)
    data = {
        "reference": "API-1",
        "licence_number": licence.number,
        "purchaser": buyer.pk,
        "consignee": buyer.pk,
        "end_user": buyer.legal_name,
        "incoterm": "FOB",
        "contract_date": str(days_ago(30)),
        "loading_date": str(loading),
        "departure_date": str(days_ago(4)),
        "arrival_date": str(days_ago(-20)),
        "origin": "Ganzhou",
        "destination_country": "DE",
        "port_of_clearance": "Shanghai",
        "customs_declaration_number": cdn(loading),
        "lines": [
            {
                "item": "1C905.a",
                "form": "metal",
                "quantity": quantity,
                "unit": "kg",
                "value": "875.00",
                "currency": "USD",
                "hs_code": "2805301200",
            }
        ],
    }
    data.update(overrides)
    return data


def post(client, url, payload, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


@pytest.mark.django_db
def test_api_files_a_report_and_refuses_bad_ones_with_the_rule(
    client_for, producer, licence, buyer
):
    client = client_for(producer)
    url = reverse("api:transaction-list")
    created = post(client, url, body(licence, buyer))
    assert created.status_code == 201, created.json()
    assert created.json()["total_kg"] == "2.500"
    refused = post(client, url, body(licence, buyer, quantity="98"))
    assert refused.status_code == 400
    assert (
        "Line 1: 98.000 kg asked, the licence line has 97.500 kg left"
        in (refused.json()["error"]["message"])
    )
    listed = client.get(url).json()
    assert listed["count"] == 1


@pytest.mark.django_db
def test_same_key_in_a_row_gives_one_report_and_the_same_answer(
    client_for, producer, licence, buyer
):
    client = client_for(producer)
    url = reverse("api:transaction-list")
    answers = [post(client, url, body(licence, buyer), key="order-77") for _ in range(5)]
    assert {a.status_code for a in answers} == {201}
    assert len({json.dumps(a.json(), sort_keys=True) for a in answers}) == 1
    assert [a.get("Idempotent-Replayed") for a in answers[1:]] == ["true"] * 4
    assert TransactionReport.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("97.500")


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused(client_for, producer, licence, buyer):
    client = client_for(producer)
    url = reverse("api:transaction-list")
    assert post(client, url, body(licence, buyer), key="k1").status_code == 201
    other = post(client, url, body(licence, buyer, quantity="3"), key="k1")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert TransactionReport.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_is_stored_under_its_key_too(client_for, producer, licence, buyer):
    client = client_for(producer)
    url = reverse("api:transaction-list")
    first = post(client, url, body(licence, buyer, quantity="500"), key="big")
    again = post(client, url, body(licence, buyer, quantity="500"), key="big")
    assert first.status_code == again.status_code == 400
    assert first.json() == again.json()


@pytest.mark.django_db(transaction=True)
def test_same_key_five_times_at_once_gives_one_report(producer, licence, buyer):
    url = reverse("api:transaction-list")
    payload = body(licence, buyer)
    barrier = threading.Barrier(5)
    answers = [None] * 5

    def send(i):
        client = Client()
        client.force_login(producer)
        try:
            barrier.wait()
            answers[i] = post(client, url, payload, key="burst-1")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201] * 5
    assert len({json.dumps(a.json(), sort_keys=True) for a in answers}) == 1
    assert TransactionReport.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("97.500")


@pytest.mark.django_db
def test_bulk_is_all_or_nothing_and_names_the_bad_report(client_for, producer, licence, buyer):
    client = client_for(producer)
    url = reverse("api:transaction-bulk")
    good = [body(licence, buyer, quantity="1", reference=f"B-{i}") for i in range(5)]
    bad = [*good[:2], body(licence, buyer, incoterm="XYZ"), *good[2:]]
    refused = post(client, url, {"reports": bad}, key="bulk-1")
    assert refused.status_code == 400
    rows = refused.json()["error"]["rows"]
    assert rows[0]["line"] == 3
    assert "Report 3: Incoterm 'XYZ'" in rows[0]["message"]
    assert TransactionReport.objects.count() == 0
    accepted = post(client, url, {"reports": good}, key="bulk-2")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["reports"] == 5
    assert TransactionReport.objects.filter(source="api").count() == 5
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("95.000")


@pytest.mark.django_db
def test_officials_read_every_company_but_cannot_report(
    client_for, producer, reviewer, licence, buyer
):
    post(client_for(producer), reverse("api:transaction-list"), body(licence, buyer))
    official = client_for(reviewer)
    listed = official.get(reverse("api:transaction-list")).json()
    assert listed["results"][0]["organisation"] == licence.organisation.legal_name
    refused = post(official, reverse("api:transaction-list"), body(licence, buyer))
    assert refused.status_code == 403


@pytest.mark.django_db
def test_values_of_the_wrong_json_type_are_refused_not_crashed(
    client_for, producer, licence, buyer
):
    client = client_for(producer)
    url = reverse("api:transaction-list")
    line = {**body(licence, buyer)["lines"][0], "item": True, "quantity": [1]}
    payload = body(licence, buyer, loading_date={"y": 2026}, purchaser=True, lines=[line])
    refused = post(client, url, payload)
    assert refused.status_code == 400, refused.content
    message = refused.json()["error"]["message"]
    assert "Loading date is required as YYYY-MM-DD" in message
    assert "Purchaser 'True' is not in your client book." in message
    assert TransactionReport.objects.count() == 0
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("100")


@pytest.mark.django_db
def test_api_cancels_a_report_once_with_a_reason(client_for, producer, licence, buyer):
    client = client_for(producer)
    created = post(client, reverse("api:transaction-list"), body(licence, buyer)).json()
    url = reverse("api:transaction-cancel", args=[created["id"]])
    # no reason: refused, nothing changed
    missing = post(client, url, {})
    assert missing.status_code == 400
    assert "reason" in missing.json()["error"]["fields"]
    assert TransactionReport.objects.get().status == "accepted"
    # a retried cancellation with its key answers the same; without, it is a conflict
    answers = [post(client, url, {"reason": "Shipment held"}, key="cancel-1") for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["status"] == "cancelled"
    assert answers[1]["Idempotent-Replayed"] == "true"
    again = post(client, url, {"reason": "Shipment held"})
    assert again.status_code == 409
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("100.000")
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


@pytest.mark.django_db
def test_api_corrects_a_report_with_the_same_rules_as_a_new_one(
    client_for, producer, licence, buyer
):
    client = client_for(producer)
    created = post(client, reverse("api:transaction-list"), body(licence, buyer)).json()
    url = reverse("api:transaction-correct", args=[created["id"]])
    # the same rules and messages as a new report; the reason is required
    too_much = post(client, url, {**body(licence, buyer, quantity="101"), "reason": "Scale"})
    assert too_much.status_code == 400
    assert (
        "Line 1: 101.000 kg asked, the licence line has 100.000 kg left"
        in too_much.json()["error"]["message"]
    )
    no_reason = post(client, url, body(licence, buyer, quantity="3"))
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["fields"] == {"reason": ["Required."]}
    assert TransactionReport.objects.get().status == "accepted"
    # sent twice with one key: one correction
    payload = {**body(licence, buyer, quantity="3"), "reason": "Weighbridge figure"}
    answers = [post(client, url, payload, key="fix-1") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    new = answers[0].json()
    assert (new["corrects"], new["total_kg"], new["source"]) == (created["id"], "3.000", "api")
    old = TransactionReport.objects.get(pk=created["id"])
    assert (old.status, old.cancel_reason) == ("cancelled", "Weighbridge figure")
    assert LicenceLine.objects.get(licence=licence).balance == Decimal("97.000")
    # the replaced report cannot be corrected again
    twice = post(client, url, {**payload, "reference": "again"})
    assert twice.status_code == 409


@pytest.mark.django_db
def test_officials_and_other_companies_cannot_cancel_or_correct(
    client_for, producer, other_producer, reviewer, licence, buyer
):
    created = post(client_for(producer), reverse("api:transaction-list"), body(licence, buyer))
    pk = created.json()["id"]
    for user, code in ((reviewer, 403), (other_producer, 404)):
        client = client_for(user)
        cancel = post(client, reverse("api:transaction-cancel", args=[pk]), {"reason": "x"})
        correct = post(
            client,
            reverse("api:transaction-correct", args=[pk]),
            {**body(licence, buyer), "reason": "x"},
        )
        assert (cancel.status_code, correct.status_code) == (code, code)
    assert TransactionReport.objects.get().status == "accepted"


@pytest.mark.django_db
def test_digits_that_are_not_ascii_are_refused_not_crashed(client_for, producer, licence, buyer):
    client = client_for(producer)
    line = {**body(licence, buyer)["lines"][0], "item": "\u00b2", "hs_code": "\u00b2" * 10}
    refused = post(
        client,
        reverse("api:transaction-list"),
        body(licence, buyer, purchaser="\u00b2", lines=[line]),
    )
    assert refused.status_code == 400, refused.content
    message = refused.json()["error"]["message"]
    assert "Purchaser '\u00b2' is not in your client book." in message
    assert "is not a control code like 1C905.a" in message
    assert "HS code" in message
    assert TransactionReport.objects.count() == 0
