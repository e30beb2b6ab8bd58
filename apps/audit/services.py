"""Writing the audit trail: every service calls `audit_record` inside its own transaction."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from apps.audit.models import AuditEvent
from apps.core import context

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 7_420_031  # pg_advisory_xact_lock key that serialises appends to the chain


def canonical_payload(event: AuditEvent) -> bytes:
    """The bytes an event's hash covers: every recorded field, in a fixed order and encoding."""
    payload = {
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_payload(event)).hexdigest()


def audit_record(
    *,
    actor,
    action: str,
    obj: Any = None,
    changes: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the write it records."""
    ctx = context.current()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        user = actor if actor is not None and getattr(actor, "pk", None) else None
        event = AuditEvent(
            created_at=datetime.now(UTC),
            actor=user,
            actor_label=actor_label or (user.email if user else "system"),
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            changes=_jsonable(changes or {}),
            ip_address=ctx.ip_address,
            user_agent=ctx.user_agent,
            request_id=ctx.request_id if ctx.request_id != "-" else "",
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))
