import pytest
from django.urls import reverse

from apps.accounts import services
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_api_lists_are_paginated_and_scoped(client_for, reviewer, company, other_company):
    OrganisationFactory.create_batch(3)
    response = client_for(reviewer).get(reverse("api:organisation-list"), {"page_size": 2})

    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"]


def test_producer_sees_only_its_own_company(client_for, producer_admin, company, other_company):
    body = client_for(producer_admin).get(reverse("api:organisation-list")).json()
    assert [row["id"] for row in body["results"]] == [company.pk]


def test_other_companys_object_is_a_json_404(client_for, producer_admin, other_company):
    response = client_for(producer_admin).get(
        reverse("api:organisation-detail", args=[other_company.pk])
    )
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_write_methods_are_refused_on_read_only_endpoints(client_for, reviewer, company):
    response = client_for(reviewer).delete(reverse("api:organisation-detail", args=[company.pk]))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_bad_token_gets_401_with_json_body(client, db):
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION="Token rt_not-a-real-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert set(response.json()["error"]) == {"code", "message"}


def test_schema_describes_the_api(client_for, producer_admin):
    response = client_for(producer_admin).get(reverse("api-schema"), {"format": "json"})
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]


def test_docs_page_loads_assets_from_this_site_only(client_for, producer_admin):
    html = client_for(producer_admin).get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_token_auth_on_unverified_company_is_limited_to_me(pending_producer, client):
    _token, key = services.api_token_create(actor=pending_producer, name="x", expires_in_days=None)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}

    assert client.get(reverse("api:me"), **auth).status_code == 200
    assert client.get(reverse("api:organisation-list"), **auth).status_code == 403
