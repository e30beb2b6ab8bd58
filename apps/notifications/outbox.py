"""The transactional outbox: a task is a row written with the business change, relayed later.

`outbox_enqueue` only writes rows; it never talks to the broker inside the caller's transaction.
After commit, a relay pass publishes what was just written (bounded by short broker timeouts, and
skipped for a while after a broker failure); the periodic `notifications.relay_outbox` task
publishes whatever is left, so a message survives a broker outage and is delivered once it is back.

Publishing is at-least-once (a crash between publish and the row update publishes twice), so every
task fed through the outbox is idempotent: that is what makes the effect exactly-once.
"""

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

RELAY_TASK = "notifications.relay_outbox"
# Up to this many rows are published straight after commit; bigger batches (sweeps) ask a worker.
INLINE_RELAY_MAX = 20
# After a broker failure, requests stop trying to publish for this long; the periodic relay won't.
BROKER_BACKOFF_SECONDS = 30
_broker_unavailable_until = 0.0


@dataclass(frozen=True)
class RelayResult:
    published: int = 0
    failed: int = 0


def _max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 25)


def _retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 5 s, 10 s, 20 s ... capped at 10 minutes."""
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))


def outbox_enqueue(
    task_name: str,
    kwargs: Mapping | None = None,
    *,
    queue: str = "",
    relay_on_commit: bool = True,
) -> OutboxMessage:
    """Publish task `task_name(**kwargs)` once (and only if) the caller's transaction commits.

    Call it from inside a service's `transaction.atomic()`; the kwargs must be JSON (ids, not
    objects). The task must be idempotent.
    """
    return outbox_enqueue_many(
        [(task_name, kwargs or {})], queue=queue, relay_on_commit=relay_on_commit
    )[0]


def outbox_enqueue_many(
    tasks: Iterable[tuple[str, Mapping]], *, queue: str = "", relay_on_commit: bool = True
) -> list[OutboxMessage]:
    """Several tasks in one INSERT and one after-commit relay (used by sweeps and `notify`)."""
    now = timezone.now()
    rows = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                task_name=name, kwargs=dict(kw), queue=queue, available_at=now, created_at=now
            )
            for name, kw in tasks
        ]
    )
    if rows and relay_on_commit:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _relay_after_commit(ids))
    return rows


def _relay_after_commit(ids: list[int]) -> None:
    """Publish right away what the request just wrote; never fail the (committed) request."""
    global _broker_unavailable_until
    if time.monotonic() < _broker_unavailable_until:
        return
    try:
        if len(ids) <= INLINE_RELAY_MAX:
            result = outbox_relay(ids=ids, stop_on_failure=True)
        else:
            _publish(RELAY_TASK, {}, "", task_id=None)
            return
    except Exception:
        logger.exception("Outbox relay after commit failed; the periodic relay will retry.")
        result = RelayResult(failed=1)
    if result.failed:
        _broker_unavailable_until = time.monotonic() + BROKER_BACKOFF_SECONDS


def reset_broker_backoff() -> None:
    """Forget a remembered broker failure (the periodic relay succeeded, or in tests)."""
    global _broker_unavailable_until
    _broker_unavailable_until = 0.0


def _publish(task_name: str, kwargs: dict, queue: str, task_id: str | None) -> None:
    from config.celery import app

    options = {"queue": queue} if queue else {}
    app.send_task(task_name, kwargs=kwargs, task_id=task_id, retry=True, **options)


def outbox_relay(
    *,
    batch_size: int | None = None,
    max_batches: int = 50,
    ids: list[int] | None = None,
    stop_on_failure: bool = True,
) -> RelayResult:
    """Claim due pending rows (FOR UPDATE SKIP LOCKED), publish them, mark them sent.

    Several relays run side by side without publishing a row twice: each claims its own rows.
    A broker error puts the row back with a back-off and ends the pass (the broker is probably
    down; trying every row would only multiply the timeouts).
    """
    batch_size = batch_size or getattr(settings, "OUTBOX_BATCH_SIZE", 200)
    published = failed = 0
    for _ in range(max_batches):
        with transaction.atomic():
            qs = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
                status=OutboxMessage.Status.PENDING, available_at__lte=timezone.now()
            )
            if ids is not None:
                qs = qs.filter(pk__in=ids)
            batch = list(qs.order_by("available_at", "id")[:batch_size])
            if not batch:
                break
            sent_ids = []
            broken = None
            for message in batch:
                try:
                    _publish(
                        message.task_name, message.kwargs, message.queue, f"outbox-{message.pk}"
                    )
                except Exception as exc:
                    broken = (message, exc)
                    break
                sent_ids.append(message.pk)
            now = timezone.now()
            if sent_ids:
                OutboxMessage.objects.filter(pk__in=sent_ids).update(
                    status=OutboxMessage.Status.SENT, sent_at=now, attempts=F("attempts") + 1
                )
                published += len(sent_ids)
            if broken:
                message, exc = broken
                _record_failure(message, exc, now)
                failed += 1
        if broken and stop_on_failure:
            break
        if ids is not None or len(batch) < batch_size:
            break
    if published and not failed:
        reset_broker_backoff()
    return RelayResult(published=published, failed=failed)


def _record_failure(message: OutboxMessage, exc: Exception, now) -> None:
    attempts = message.attempts + 1
    gave_up = attempts >= _max_attempts()
    logger.warning("Publishing %s failed (attempt %s): %s", message, attempts, exc)
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
        available_at=now + _retry_delay(attempts),
        status=OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING,
    )


@transaction.atomic
def outbox_requeue_failed(*, message_ids: list[int] | None = None) -> int:
    """Put given up messages back in the queue (after the broker or the task was fixed)."""
    qs = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    return qs.update(status=OutboxMessage.Status.PENDING, available_at=timezone.now(), attempts=0)
