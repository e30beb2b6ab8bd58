"""Audit test helpers: a long valid chain in one insert, tampering behind the guard."""

from datetime import UTC, datetime, timedelta

from django.db import connection

from apps.audit.chain import GENESIS_HASH, compute_hash
from apps.audit.models import AuditEvent


def build_chain(count: int, *, start: datetime | None = None) -> list[int]:
    """Append `count` valid chained events after the current head; returns their ids."""
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    previous = head or GENESIS_HASH
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    events = []
    for n in range(count):
        event = AuditEvent(
            created_at=start + timedelta(seconds=n),
            actor_label=f"user{n % 17}@example.test",
            action="test.write",
            object_type="accounts.Organisation",
            object_id=str(n % 50),
            object_repr=f"Company {n % 50}",
            changes={"n": n, "status": ["pending", "verified"]},
            ip_address="192.0.2.10",
            user_agent="bulk",
            request_id=f"r{n}",
            prev_hash=previous,
        )
        event.hash = compute_hash(event)
        previous = event.hash
        events.append(event)
    created = AuditEvent.objects.bulk_create(events, batch_size=2000)
    return [e.pk for e in created]


def tamper(sql: str, params: list) -> None:
    """Change the audit table behind the trigger's back, as an attacker with the owner's rights."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
