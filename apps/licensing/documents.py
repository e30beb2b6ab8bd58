"""Uploaded documents: PDF, PNG or JPEG only, recognised by content, never by name or header."""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from apps.core.errors import DomainError

SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedUpload:
    """Refuse anything but a PDF / PNG / JPEG within the size limit; name it on the server."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": upload.name, "size": upload.size / 1e6, "limit": limit / 1e6},
            field_errors={"file": [_("File too large.")]},
        )
    data = upload.read()
    if not data:
        raise DomainError(
            _("“%(name)s” is empty.") % {"name": upload.name},
            field_errors={"file": [_("The file is empty.")]},
        )
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            stored = ContentFile(data, name=f"{secrets.token_hex(16)}.{extension}")
            return CheckedUpload(
                stored, upload.name[:255], content_type, len(data), hashlib.sha256(data).hexdigest()
            )
    raise DomainError(
        _("“%(name)s” is not a PDF, PNG or JPEG file.") % {"name": upload.name},
        field_errors={"file": [_("Only PDF, PNG or JPEG files are accepted.")]},
    )
