"""Celery tasks of the transactions app: take ids, call services, safe to run twice.

Both tasks start from a state claimed by the service (`validating`, `committing`) and do nothing
when the batch has moved on, so a redelivered task never checks or imports a file twice.
"""

import logging

from celery import shared_task

from apps.core.errors import DomainError

logger = logging.getLogger(__name__)


@shared_task(name="transactions.check_import")
def check_import(batch_id: int) -> str:
    from apps.transactions import services

    batch = services.import_check(batch_id)
    logger.info("transactions.check_import %s: %s", batch_id, batch.status)
    return batch.status


@shared_task(name="transactions.commit_import")
def commit_import(batch_id: int, actor_id: int) -> str:
    from apps.accounts.models import User
    from apps.transactions import services

    actor = User.objects.get(pk=actor_id)
    try:
        batch = services.import_commit_now(batch_id, actor)
    except DomainError as exc:
        logger.info("transactions.commit_import %s refused: %s", batch_id, exc.message)
        return "failed"
    return batch.status
