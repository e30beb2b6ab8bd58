"""The audit app's tasks (see tests/audit/coverage.py): the daily chain check and the exports."""

from apps.audit import services
from apps.audit.models import ChainCheckpoint, ExportJob
from tests.audit.coverage import Expect, TaskCase


def _queued_export(fx) -> ExportJob:
    return services.export_request(
        actor=fx("auditor"), dataset="organisations", format="xlsx", filters={}
    )


TASK_CASES = {
    "audit.verify_chain": TaskCase(
        expect=lambda fx, _: Expect(
            "audit.chain_verified",
            ChainCheckpoint.objects.latest("id"),
            actor_label="task audit.verify_chain",
            changes=("ok", "events_checked", "head_hash"),
        ),
    ),
    "audit.run_export": TaskCase(
        setup=_queued_export,
        kwargs=lambda fx, job: {"job_id": job.pk},
        expect=lambda fx, job: Expect(
            "export.complete",
            job,
            actor=fx("auditor"),  # the worker writes the file for the auditor who asked
            changes=("row_count", "sha256", "filters"),
        ),
    ),
}
TASK_NOT_WRITES: dict[str, str] = {}
