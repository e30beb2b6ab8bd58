"""Every write of the audit app: appending to the trail, chain checkpoints and exports.

Every service in the portal calls `audit_record` inside its own transaction, so an event exists
exactly when the write it records was committed.
"""

import ipaddress
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit import permissions, writers
from apps.audit.chain import GENESIS_HASH, VerifyResult, compute_hash
from apps.audit.datasets import registry
from apps.audit.models import AuditEvent, ChainCheckpoint, ExportJob
from apps.core import context
from apps.core.errors import DomainError, PermissionDeniedError

logger = logging.getLogger(__name__)
_CHAIN_LOCK_KEY = 7_420_031  # pg_advisory_xact_lock key that serialises appends to the chain
TASK_ACTOR_PREFIX = "task "


def audit_record(
    *,
    actor,
    action: str,
    obj: Any = None,
    changes: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the write it records."""
    ctx = context.current()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        user = actor if actor is not None and getattr(actor, "pk", None) else None
        event = AuditEvent(
            created_at=datetime.now(UTC),
            actor=user,
            actor_label=_actor_label(user, actor_label, ctx),
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            changes=_jsonable(changes or {}),
            ip_address=_normalised_ip(ctx.ip_address),
            user_agent=ctx.user_agent,
            request_id=ctx.request_id if ctx.request_id != "-" else "",
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def _actor_label(user, label: str | None, ctx: context.ActionContext) -> str:
    """Who acted: the user; for nobody, the task running (whatever label its service passes,
    so every event of a task names it the same way), else the caller's label or "system"."""
    if user is None and ctx.task:
        return f"{TASK_ACTOR_PREFIX}{ctx.task}"
    return label or (user.email if user else "system")


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def _normalised_ip(value: str | None) -> str | None:
    """The address as the database gives it back, so the hash still matches after a round trip."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


@transaction.atomic
def chain_checkpoint_record(*, result: VerifyResult, actor_label: str) -> ChainCheckpoint:
    """Keep the outcome of a chain walk: the head reached is the anchor for the next audit."""
    checkpoint = ChainCheckpoint.objects.create(
        ok=result.ok,
        events_checked=result.events_checked,
        head_id=result.head_id,
        head_hash=result.head_hash,
        broken_event_id=result.broken_event_id,
        problem=result.problem,
        expected=result.expected,
        found=result.found,
        duration_ms=result.duration_ms,
    )
    audit_record(
        actor=None,
        actor_label=actor_label,
        action="audit.chain_verified" if result.ok else "audit.chain_broken",
        obj=checkpoint,
        changes={
            "ok": result.ok,
            "events_checked": result.events_checked,
            "head_id": result.head_id,
            "head_hash": result.head_hash,
            "broken_event_id": result.broken_event_id,
            "expected": result.expected,
            "found": result.found,
        },
    )
    return checkpoint


@transaction.atomic
def export_request(*, actor, dataset: str, format: str, filters: dict) -> ExportJob:
    """Queue an export; the request is audited before a single row leaves the database."""
    if not permissions.can_export(actor):
        raise PermissionDeniedError(_("Only auditors and administrators export records."))
    try:
        spec = registry.get(dataset)
    except KeyError:
        raise DomainError(
            _("Unknown dataset."), field_errors={"dataset": [_("Choose a dataset.")]}
        ) from None
    if format not in ExportJob.Format.values:
        raise DomainError(_("Unknown format."), field_errors={"format": [_("Choose a format.")]})
    cleaned = spec.clean_filters(filters)
    job = ExportJob.objects.create(
        requested_by=actor,
        dataset=spec.name,
        format=format,
        filters=cleaned,
        rows_total=spec.filtered(cleaned).count(),
    )
    audit_record(
        actor=actor,
        action="export.request",
        obj=job,
        changes={"dataset": spec.name, "format": format, "filters": cleaned},
    )
    return job


def export_runs_in_background(job: ExportJob) -> bool:
    """XLSX and large exports go to a worker; small CSV / JSON Lines are written at once."""
    return job.format == ExportJob.Format.XLSX or job.rows_total > settings.EXPORT_INLINE_MAX_ROWS


def export_claim(*, job_id: int) -> ExportJob | None:
    """Take a queued job (compare-and-set), so two workers never write the same export."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    return ExportJob.objects.select_related("requested_by").get(pk=job_id) if claimed else None


def export_report_progress(*, job_id: int, rows_written: int, db=None) -> None:
    """Progress for the progress bar (bookkeeping, not audited: the completion event is).

    `db` is a side connection while the export's own connection is busy streaming COPY.
    """
    table = connection.ops.quote_name(ExportJob._meta.db_table)
    with (db or connection).cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET rows_written = %s WHERE id = %s AND status = %s",  # noqa: S608 # nosec B608
            [rows_written, job_id, ExportJob.Status.RUNNING],
        )


def export_run(*, job_id: int) -> ExportJob | None:
    """Write a claimed export to its file and seal it; a second run of the same job is a no-op."""
    job = export_claim(job_id=job_id)
    if job is None:
        return None
    spec = registry.get(job.dataset)
    export_dir = Path(settings.EXPORT_ROOT)
    export_dir.mkdir(parents=True, exist_ok=True)
    file_name = f"{job.token}.{job.format}"
    progress = writers.SideConnectionProgress(
        lambda side, rows: export_report_progress(job_id=job.pk, rows_written=rows, db=side)
    )
    try:
        result = writers.write(spec, job.filters, job.format, export_dir / file_name, progress)
    except Exception as exc:
        logger.exception("Export %s failed", job.pk)
        (export_dir / file_name).unlink(missing_ok=True)
        return export_fail(job=job, error=f"{exc.__class__.__name__}: {exc}")
    finally:
        progress.close()
    return export_complete(
        job=job,
        file_name=file_name,
        row_count=result.row_count,
        sha256=result.sha256,
        size_bytes=result.size_bytes,
    )


@transaction.atomic
def export_complete(
    *, job: ExportJob, file_name: str, row_count: int, sha256: str, size_bytes: int
) -> ExportJob:
    """Seal the export with its manifest; the audit event carries the file's hash and rows."""
    now = timezone.now()
    locked = ExportJob.objects.select_for_update().get(pk=job.pk)
    locked.status = ExportJob.Status.DONE
    locked.file_name = file_name
    locked.row_count = row_count
    locked.rows_written = row_count
    locked.sha256 = sha256
    locked.size_bytes = size_bytes
    locked.finished_at = now
    locked.expires_at = now + timedelta(hours=settings.EXPORT_DOWNLOAD_HOURS)
    locked.save(
        update_fields=[
            "status",
            "file_name",
            "row_count",
            "rows_written",
            "sha256",
            "size_bytes",
            "finished_at",
            "expires_at",
        ]
    )
    audit_record(
        actor=locked.requested_by,
        action="export.complete",
        obj=locked,
        changes={
            "dataset": locked.dataset,
            "format": locked.format,
            "filters": locked.filters,
            "row_count": row_count,
            "sha256": sha256,
            "size_bytes": size_bytes,
        },
    )
    return locked


@transaction.atomic
def export_fail(*, job: ExportJob, error: str) -> ExportJob:
    locked = ExportJob.objects.select_for_update().get(pk=job.pk)
    locked.status = ExportJob.Status.FAILED
    locked.error = error[:500]
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "error", "finished_at"])
    audit_record(
        actor=locked.requested_by,
        action="export.fail",
        obj=locked,
        changes={"dataset": locked.dataset, "format": locked.format, "error": locked.error},
    )
    return locked
