"""Celery tasks of the clients app: take ids, call services, safe to run twice."""

import logging

from celery import shared_task

from apps.clients import services

logger = logging.getLogger(__name__)


@shared_task(name="clients.rescreen_after_list_change", acks_late=True)
def rescreen_after_list_change(entry_ids: list[int] | None = None, batch_size: int = 500) -> dict:
    """Screen every active client again after list entries changed.

    Idempotent (screening unchanged data changes nothing), so a redelivered or duplicated task
    only costs time; that is also why acks_late is safe here.
    """
    outcome = services.clients_rescreen(entry_ids=entry_ids or [], batch_size=batch_size)
    result = {
        "screened": outcome.screened,
        "created": outcome.created,
        "reopened": outcome.reopened,
        "lapsed": outcome.lapsed,
    }
    logger.info("clients.rescreen_after_list_change %s", result)
    return result
