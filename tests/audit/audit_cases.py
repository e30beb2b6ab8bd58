"""Audit cases for apps/audit/services.py (see tests/audit/coverage.py)."""

from apps.audit import services
from apps.audit.chain import verify_chain
from tests.audit.coverage import AuditCase, Expect


def _job(fx, fmt="csv"):
    return services.export_request(
        actor=fx("auditor"), dataset="organisations", format=fmt, filters={}
    )


def _running_job(fx):
    job = _job(fx)
    return services.export_claim(job_id=job.pk)


CASES = {
    "audit_record": AuditCase(
        call=lambda fx, _: Expect(
            "test.write",
            services.audit_record(
                actor=fx("auditor"), action="test.write", obj=fx("company"), changes={"a": [1, 2]}
            )
            and fx("company"),
            actor=fx("auditor"),
            changes=("a",),
        )
    ),
    "chain_checkpoint_record": AuditCase(
        setup=lambda fx: verify_chain(),
        call=lambda fx, result: Expect(
            "audit.chain_verified",
            services.chain_checkpoint_record(result=result, actor_label="task audit.verify_chain"),
            actor_label="task audit.verify_chain",
            changes=("ok", "head_hash", "events_checked"),
        ),
        in_request=False,
    ),
    "export_request": AuditCase(
        call=lambda fx, _: Expect(
            "export.request",
            _job(fx),
            actor=fx("auditor"),
            changes=("dataset", "format", "filters"),
        )
    ),
    "export_run": AuditCase(
        setup=_job,
        call=lambda fx, job: Expect(
            "export.complete",
            services.export_run(job_id=job.pk),
            actor=fx("auditor"),
            changes=("row_count", "sha256", "filters"),
        ),
    ),
    "export_complete": AuditCase(
        setup=_running_job,
        call=lambda fx, job: Expect(
            "export.complete",
            services.export_complete(
                job=job, file_name="x.csv", row_count=3, sha256="a" * 64, size_bytes=10
            ),
            actor=fx("auditor"),
            changes=("row_count", "sha256"),
        ),
    ),
    "export_fail": AuditCase(
        setup=_running_job,
        call=lambda fx, job: Expect(
            "export.fail",
            services.export_fail(job=job, error="disk full"),
            actor=fx("auditor"),
            changes=("error",),
        ),
    ),
}

NOT_WRITES = {
    "diff": "a pure helper computing {field: [old, new]} for callers of audit_record",
    "export_runs_in_background": "a predicate: does this export go to a worker",
    "export_claim": "bookkeeping (queued -> running); audited by request and complete",
    "export_report_progress": "bookkeeping for the progress bar; audited by export_complete",
}
