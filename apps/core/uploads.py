"""Uploaded documents: typed by content, size-limited, stored under names the server chooses, and
handed back only as attachment downloads by a view that has checked the permission first.

    stored = store_upload(request.FILES["document"], folder="applications/42")
    ... keep stored.name, stored.original_name, stored.content_type, stored.sha256 on a model ...

    # in a download view, AFTER the selector found the object for request.user (404 otherwise):
    return attachment_response(doc.stored_name, download_name=doc.original_name,
                               content_type=doc.content_type)

MEDIA_ROOT is never served by URL; the file's own name and the browser's Content-Type claim are
never trusted.
"""

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError


@dataclass(frozen=True)
class FileType:
    kind: str
    extension: str
    content_type: str
    magic: bytes


FILE_TYPES = {
    "pdf": FileType("pdf", "pdf", "application/pdf", b"%PDF-"),
    "png": FileType("png", "png", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpeg": FileType("jpeg", "jpg", "image/jpeg", b"\xff\xd8\xff"),
}
DOCUMENT_KINDS = ("pdf", "png", "jpeg")
_FOLDER = re.compile(r"^[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_\-]*)*$")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class StoredUpload:
    name: str  # path inside the default storage, chosen by the server
    original_name: str  # cleaned, for the download's file name only
    kind: str
    content_type: str
    size: int
    sha256: str


def detect_type(head: bytes, allowed=DOCUMENT_KINDS) -> FileType | None:
    """The allowed type whose signature starts the file, or None."""
    for kind in allowed:
        file_type = FILE_TYPES[kind]
        if head.startswith(file_type.magic):
            return file_type
    return None


def validate_upload(upload, *, allowed=DOCUMENT_KINDS, max_bytes: int | None = None) -> FileType:
    """Check size and content type of an uploaded file; raises DomainError with a clear message."""
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    size = upload.size
    if size is None or size == 0:
        raise DomainError(_("The file is empty."), field_errors={"file": [_("The file is empty.")]})
    if size > limit:
        message = _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": f"{size / 1_048_576:.1f}",
            "limit": f"{limit / 1_048_576:.1f}",
        }
        raise DomainError(message, field_errors={"file": [message]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    file_type = detect_type(head, allowed)
    if file_type is None:
        names = ", ".join(FILE_TYPES[k].extension.upper() for k in allowed)
        message = _("This file is not a %(types)s document (checked by its content).") % {
            "types": names
        }
        raise DomainError(message, field_errors={"file": [message]})
    return file_type


def clean_filename(name: str, extension: str) -> str:
    """A safe download name: no path, no control or quote characters, the detected extension."""
    base = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[\x00-\x1f\x7f\"';:<>|*?]+", "", stem).strip(" .")[:120] or "document"
    return f"{stem}.{extension}"


def store_upload(
    upload, *, folder: str, allowed=DOCUMENT_KINDS, max_bytes: int | None = None
) -> StoredUpload:
    """Validate, then save under `folder/YYYY/MM/<random>.<ext>` in the default storage."""
    if not _FOLDER.match(folder):
        raise ValueError(f"Upload folder {folder!r} must be lower-case words separated by '/'.")
    file_type = validate_upload(upload, allowed=allowed, max_bytes=max_bytes)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(_CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)
    today = timezone.localdate()
    target = f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}.{file_type.extension}"
    saved = default_storage.save(target, upload)
    return StoredUpload(
        name=saved,
        original_name=clean_filename(getattr(upload, "name", ""), file_type.extension),
        kind=file_type.kind,
        content_type=file_type.content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
    )


def attachment_response(stored_name: str, *, download_name: str, content_type: str):
    """Stream a stored file as a download, never rendered inline by the browser.

    Call it only after the permission check; a missing file is a 404, never a stack trace.
    """
    if not default_storage.exists(stored_name):
        raise Http404
    response = FileResponse(
        default_storage.open(stored_name, "rb"),
        as_attachment=True,
        filename=download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
