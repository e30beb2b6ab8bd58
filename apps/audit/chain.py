"""The hash chain: what an event's hash covers, and walking the chain to find the first break.

Each event stores the previous event's hash and the SHA-256 of its own canonical encoding, so
changing, removing or inserting any event breaks the link at exactly that event.
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from apps.audit.models import AuditEvent

GENESIS_HASH = "0" * 64
VERIFY_BATCH_SIZE = 5000
_CHAIN_FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip_address",
    "user_agent",
    "request_id",
    "prev_hash",
    "hash",
)


def canonical_payload(event: AuditEvent | dict[str, Any]) -> bytes:
    """The bytes an event's hash covers: every recorded field, in a fixed order and encoding."""
    get = event.get if isinstance(event, dict) else lambda name: getattr(event, name)
    payload = {
        "created_at": get("created_at").astimezone(UTC).isoformat(),
        "actor_id": get("actor_id"),
        "actor_label": get("actor_label"),
        "action": get("action"),
        "object_type": get("object_type"),
        "object_id": get("object_id"),
        "object_repr": get("object_repr"),
        "changes": get("changes"),
        "ip_address": get("ip_address"),
        "user_agent": get("user_agent"),
        "request_id": get("request_id"),
        "prev_hash": get("prev_hash"),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent | dict[str, Any]) -> str:
    return hashlib.sha256(canonical_payload(event)).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events_checked: int
    head_id: int | None
    head_hash: str
    broken_event_id: int | None = None
    problem: str = ""  # "content" (the event was altered) or "link" (an event is missing/inserted)
    expected: str = ""
    found: str = ""
    duration_ms: int = 0

    def describe(self) -> str:
        if self.ok:
            return (
                f"Chain intact: {self.events_checked} events, head #{self.head_id} "
                f"{self.head_hash or '(empty)'}"
            )
        what = (
            "its content does not match its hash"
            if self.problem == "content"
            else "its previous-hash does not match the event before it"
        )
        return (
            f"Chain broken at event #{self.broken_event_id}: {what}. "
            f"Expected {self.expected}, found {self.found}. "
            f"({self.events_checked} events checked before the break.)"
        )


def iter_events(batch_size: int = VERIFY_BATCH_SIZE) -> Iterator[dict[str, Any]]:
    """Every event in chain order, fetched in keyset batches so memory stays constant."""
    last_id = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(id__gt=last_id)
            .order_by("id")
            .values(*_CHAIN_FIELDS)[:batch_size]
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1]["id"]


def verify_chain(
    *,
    batch_size: int = VERIFY_BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Walk the whole chain from the genesis and stop at the first broken link."""
    started = time.monotonic()
    previous_hash = GENESIS_HASH
    checked = 0
    head_id: int | None = None

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    for event in iter_events(batch_size):
        if event["prev_hash"] != previous_hash:
            return VerifyResult(
                ok=False,
                events_checked=checked,
                head_id=head_id,
                head_hash=previous_hash if head_id else "",
                broken_event_id=event["id"],
                problem="link",
                expected=previous_hash,
                found=event["prev_hash"],
                duration_ms=elapsed(),
            )
        recomputed = compute_hash(event)
        if recomputed != event["hash"]:
            return VerifyResult(
                ok=False,
                events_checked=checked,
                head_id=head_id,
                head_hash=previous_hash if head_id else "",
                broken_event_id=event["id"],
                problem="content",
                expected=recomputed,
                found=event["hash"],
                duration_ms=elapsed(),
            )
        previous_hash = event["hash"]
        head_id = event["id"]
        checked += 1
        if on_progress is not None and checked % batch_size == 0:
            on_progress(checked)
    return VerifyResult(
        ok=True,
        events_checked=checked,
        head_id=head_id,
        head_hash=previous_hash if head_id else "",
        duration_ms=elapsed(),
    )
