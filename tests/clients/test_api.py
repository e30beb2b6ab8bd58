"""/api/v1/clients/ for producers (their own book only) and read-only entities and hits."""

import pytest
from django.urls import reverse

from apps.clients.models import Client
from tests.clients.factories import make_client, make_entry

pytestmark = pytest.mark.django_db

NEW = {
    "legal_name": "Daegu Mobility Parts Co., Ltd.",
    "native_name": "대구모빌리티부품 주식회사",
    "country": "KR",
    "registration_number": "504-81-12345",
    "registration_kind": "business_registration",
    "sector": "automotive",
    "roles": ["purchaser", "end_user"],
    "aliases": ["DMP"],
}


def test_producer_creates_reads_updates_and_archives_a_client(client_for, producer):
    api = client_for(producer)
    created = api.post(reverse("api:client-list"), NEW, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["country"] == "KR"
    assert body["screening_status"] == "clear"
    assert "entity" not in body
    assert "hits" not in body
    url = reverse("api:client-detail", args=[body["id"]])
    patched = api.patch(url, {"website": "https://dmp.example"}, content_type="application/json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["website"] == "https://dmp.example"
    assert patched.json()["legal_name"] == NEW["legal_name"]
    assert api.delete(url).status_code == 405
    archived = api.post(reverse("api:client-archive", args=[body["id"]]))
    assert archived.json()["archived_at"] is not None
    assert Client.objects.filter(pk=body["id"]).exists()


def test_api_bad_input_gets_field_messages_and_changes_nothing(client_for, producer):
    api = client_for(producer)
    api.post(reverse("api:client-list"), NEW, content_type="application/json")
    bad_country = api.post(
        reverse("api:client-list"),
        {**NEW, "legal_name": "Other", "country": "QQ"},
        content_type="application/json",
    )
    duplicate = api.post(
        reverse("api:client-list"), {**NEW, "legal_name": "Other"}, content_type="application/json"
    )
    assert bad_country.status_code == 400
    assert "not a valid choice" in bad_country.json()["error"]["fields"]["country"][0]
    assert duplicate.status_code == 400
    fields = duplicate.json()["error"]["fields"]
    assert "already has this registration number" in fields["registration_number"][0]
    assert Client.objects.count() == 1


def test_producer_lists_only_its_own_book(client_for, producer, other_producer):
    make_client(producer)
    make_client(other_producer, legal_name="Someone Else GmbH")
    names = [
        c["legal_name"]
        for c in client_for(other_producer).get("/api/v1/clients/").json()["results"]
    ]
    assert names == ["Someone Else GmbH"]


def test_officials_read_entities_and_hits(client_for, producer, reviewer):
    make_entry("Rheinland Fahrzeugtechnik", country="DE")
    make_client(producer)
    api = client_for(reviewer)
    entities = api.get(reverse("api:client-entity-list")).json()["results"]
    assert entities[0]["records"][0]["producer"] == producer.membership.organisation.legal_name
    hits = api.get(reverse("api:screening-hit-list")).json()["results"]
    assert hits[0]["list_entry"]["kind"] == "control"
    assert hits[0]["score"] >= 95
