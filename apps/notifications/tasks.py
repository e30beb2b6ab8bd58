"""Celery tasks of the notifications app. Each takes ids, is idempotent and has an explicit name,
so it may run with acks_late + reject_on_worker_lost (redelivered when a worker dies)."""

import logging

from celery import shared_task
from django.utils import timezone

from apps.notifications import chasing, outbox, services

logger = logging.getLogger(__name__)

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True}
EMAIL_MAX_RETRIES = 6


@shared_task(name="notifications.relay_outbox", ignore_result=True, **IDEMPOTENT)
def relay_outbox() -> dict:
    """Publish pending outbox rows (periodic; also kicked after a large commit)."""
    result = outbox.outbox_relay(stop_on_failure=True)
    return {"published": result.published, "failed": result.failed}


@shared_task(name="notifications.run_chases", ignore_result=True, **IDEMPOTENT)
def run_chases(names: list[str] | None = None) -> list[dict]:
    """Sweep every registered chase. Safe to run twice at once: reminders are claimed rows."""
    results = chasing.run_all_chases(names=names)
    for r in results:
        logger.info("chase %s: due=%s claimed=%s error=%s", r.name, r.due, r.claimed, r.error)
    return [r.__dict__ for r in results]


@shared_task(
    name="notifications.send_email",
    bind=True,
    ignore_result=True,
    max_retries=EMAIL_MAX_RETRIES,
    **IDEMPOTENT,
)
def send_email(self, delivery_id: int) -> str:
    """Send one e-mail delivery; retried with back-off (10 s ... 5 min) while the server fails."""
    try:
        return services.email_deliver(delivery_id=delivery_id)
    except services.DeliveryFailed as exc:
        if self.request.retries >= self.max_retries:
            services.email_give_up(delivery_id=delivery_id)
            logger.error("Giving up e-mail delivery %s: %s", delivery_id, exc)
            return "failed"
        raise self.retry(exc=exc, countdown=min(300, 10 * 2**self.request.retries)) from exc


@shared_task(name="notifications.send_digests", ignore_result=True, **IDEMPOTENT)
def send_digests() -> int:
    """Build today's digest for every user who chose one and has notifications waiting."""
    day = timezone.localdate()
    count = 0
    after = 0
    while user_ids := services.digest_recipients(after_id=after):
        for user_id in user_ids:
            if services.digest_prepare(user_id=user_id, day=day):
                count += 1
        after = user_ids[-1]
    return count
