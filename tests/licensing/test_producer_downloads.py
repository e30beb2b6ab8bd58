"""Document downloads: who may, and that a file is never rendered by the browser."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.licensing import services

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_owner_downloads_as_attachment_with_stored_type_and_nosniff(
    client_for, producer, make_draft
):
    app = make_draft()
    doc = services.document_add(
        actor=producer,
        application=app,
        kind="other",
        upload=SimpleUploadedFile("Plan de l'usine.png", PNG, content_type="text/html"),
    )
    response = client_for(producer).get(reverse("licensing:document_download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "inline" not in response["Content-Disposition"]
    assert "usine.png" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize("role", ["reviewer", "approver", "auditor", "administrator"])
def test_the_authority_may_download(role, request, client_for, make_draft):
    doc = make_draft().documents.first()
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("licensing:document_download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_other_company_gets_404_and_anonymous_is_sent_to_login(
    client_for, other_producer, make_draft
):
    doc = make_draft().documents.first()
    url = reverse("licensing:document_download", args=[doc.pk])
    assert client_for(other_producer).get(url).status_code == 404
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_unknown_document_is_404(client_for, producer):
    url = reverse("licensing:document_download", args=[999999])
    assert client_for(producer).get(url).status_code == 404
