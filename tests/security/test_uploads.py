"""The upload helper: type by content, size limit, server names, attachment-only downloads."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from apps.core.errors import DomainError
from apps.core.uploads import attachment_response, clean_filename, store_upload, validate_upload

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HTML = b"<html><script>alert(1)</script></html>"


def upload(content: bytes, name="contract.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_documents_are_recognised_by_their_content(content, kind):
    assert validate_upload(upload(content, name="whatever.bin")).kind == kind


def test_html_claiming_to_be_a_pdf_is_refused():
    with pytest.raises(DomainError, match="not a PDF, PNG, JPG document"):
        validate_upload(upload(HTML, name="contract.pdf", content_type="application/pdf"))


def test_a_file_over_the_limit_is_refused_with_sizes(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="the limit is"):
        validate_upload(upload(PDF + b"x" * 2000))


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError, match="empty"):
        validate_upload(upload(b""))


def test_stored_files_get_server_chosen_names():
    stored = store_upload(upload(PDF, name="../../etc/passwd.pdf"), folder="tests/uploads")
    try:
        assert stored.name.startswith("tests/uploads/")
        assert "passwd" not in stored.name
        assert ".." not in stored.name
        assert stored.name.endswith(".pdf")
        assert stored.original_name == "passwd.pdf"
        assert stored.content_type == "application/pdf"
        assert len(stored.sha256) == 64
        with default_storage.open(stored.name, "rb") as fh:
            assert fh.read() == PDF
    finally:
        default_storage.delete(stored.name)


def test_the_folder_cannot_escape_the_storage():
    with pytest.raises(ValueError, match="lower-case words"):
        store_upload(upload(PDF), folder="../outside")


def test_the_download_name_gets_the_detected_extension():
    assert clean_filename('report".html', "pdf") == "report.pdf"
    assert clean_filename("C:\\Users\\x\\scan.jpeg", "jpg") == "scan.jpg"
    assert clean_filename("", "png") == "document.png"


def test_downloads_are_attachments_that_browsers_do_not_sniff():
    stored = store_upload(upload(PNG, name="photo.png"), folder="tests/uploads")
    try:
        response = attachment_response(
            stored.name, download_name=stored.original_name, content_type=stored.content_type
        )
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="photo.png"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/png"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content) == PNG
        response.file_to_stream.close()
    finally:
        default_storage.delete(stored.name)


def test_a_missing_file_is_not_found():
    with pytest.raises(Http404):
        attachment_response("tests/uploads/none.pdf", download_name="x.pdf", content_type="a/b")


def test_media_files_are_not_served_by_url(client):
    stored = store_upload(upload(PDF), folder="tests/uploads")
    try:
        assert client.get("/media/" + stored.name).status_code == 404
    finally:
        default_storage.delete(stored.name)
