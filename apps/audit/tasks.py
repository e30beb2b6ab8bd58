"""Celery tasks of the audit app: they take ids, call services, and are safe to run twice."""

from celery import shared_task
from django.db import transaction

from apps.audit import chain, services

VERIFY_TASK_LABEL = "task audit.verify_chain"


@shared_task(name="audit.verify_chain")
def verify_chain() -> dict:
    """Daily: walk the whole chain and record the head reached (or the first broken link)."""
    result = chain.verify_chain()
    checkpoint = services.chain_checkpoint_record(result=result, actor_label=VERIFY_TASK_LABEL)
    return {"ok": result.ok, "checkpoint": checkpoint.pk, "head_hash": result.head_hash}


@shared_task(name="audit.run_export")
def run_export(job_id: int) -> None:
    """Write one export (claimed by compare-and-set, so a redelivery does nothing)."""
    services.export_run(job_id=job_id)


def enqueue_export(job_id: int) -> None:
    transaction.on_commit(lambda: run_export.delay(job_id))
