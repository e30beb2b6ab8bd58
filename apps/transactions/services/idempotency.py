"""API idempotency: the key row is claimed first, inside the request's transaction.

`INSERT ... ON CONFLICT DO NOTHING` makes a concurrent request with the same key wait on the
unique index until the first one commits; it then finds the stored answer and returns it. A
refused request (4xx) stores its answer too, so a retry hears the same refusal.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.transactions.models import IdempotencyKey

MAX_KEY_LENGTH = 255


class KeyReused(DomainError):
    status_code = 422
    code = "idempotency_key_reused"


class KeyInProgress(DomainError):
    status_code = 409
    code = "idempotency_key_in_progress"


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def error_body(exc: DomainError) -> dict:
    body = {"error": {"code": exc.code, "message": exc.message}}
    if exc.field_errors:
        body["error"]["fields"] = exc.field_errors
    return body


def _claim(organisation_id: int, key: str, user_id: int, digest: str) -> int | None:
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, key, user_id, request_hash, created_at) "  # noqa: S608 # nosec
            "VALUES (%s, %s, %s, %s, CURRENT_TIMESTAMP) "
            "ON CONFLICT (organisation_id, key) DO NOTHING RETURNING id",
            [organisation_id, key, user_id, digest],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def run_once(
    *, organisation_id: int, user_id: int, key: str, digest: str, work: Callable[[], tuple]
) -> tuple[int, dict, bool]:
    """(status, body, replayed): `work` runs at most once per (company, key)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise DomainError(_("The Idempotency-Key header must have 1 to 255 characters."))
    with transaction.atomic():
        claimed = _claim(organisation_id, key, user_id, digest)
        if claimed is None:
            stored = IdempotencyKey.objects.get(organisation_id=organisation_id, key=key)
            if stored.request_hash != digest:
                raise KeyReused(
                    _("This Idempotency-Key was used for a different request; use a new key.")
                )
            if stored.response_status is None:
                raise KeyInProgress(_("A request with this Idempotency-Key is still running."))
            return stored.response_status, stored.response_body, True
        try:
            with transaction.atomic():
                status, body = work()
        except DomainError as exc:
            status, body = exc.status_code, error_body(exc)
        body = json.loads(json.dumps(body, default=str))
        IdempotencyKey.objects.filter(pk=claimed).update(response_status=status, response_body=body)
    return status, body, False
