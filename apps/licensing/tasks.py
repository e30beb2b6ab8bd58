"""Celery tasks of the licensing app: explicit names, no arguments to go stale, safe to repeat
(each calls an idempotent service), so they run with acks_late + reject_on_worker_lost."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True}
RECOMPUTE_CLOCKS_TASK = "licensing.recompute_clocks"


@shared_task(name="licensing.expire_licences", ignore_result=True, **IDEMPOTENT)
def expire_licences() -> int:
    """Expire every licence past its validity (periodic; the holders are told by the service)."""
    from apps.licensing import services

    expired = services.licences_expire_due()
    logger.info("licensing.expire_licences: %s expired", expired)
    return expired


@shared_task(name=RECOMPUTE_CLOCKS_TASK, ignore_result=True, **IDEMPOTENT)
def recompute_clocks() -> int:
    """Move the deadlines of open cases after the working-day calendar changed (queued through
    the outbox by apps.workcalendar's services); rewriting the same values twice is harmless."""
    from apps.licensing import services

    changed = services.applications_recompute_clocks()
    logger.info("licensing.recompute_clocks: %s cases changed", changed)
    return changed
