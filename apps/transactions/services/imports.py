"""Bulk import: upload (recognising a file seen before), check (the preview), commit.

Checking and committing validate per batch against one `BatchContext` (a few queries for the
whole file). The commit is all-or-nothing in one transaction: the licence lines are drawn down
first, aggregated per line with one compare-and-set UPDATE each; the rows then stream into the
tables with COPY on PostgreSQL (bulk_create on SQLite) in chunks; any refusal rolls everything
back. The import is ONE audit event naming the file, its SHA-256 and its row count.
"""

import hashlib
import io
import itertools
import json
import logging
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.clients import screening
from apps.clients.models import Client
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.transactions import importing
from apps.transactions.models import (
    ImportBatch,
    LedgerEntry,
    Source,
    TransactionLine,
    TransactionReport,
)
from apps.transactions.services import ledger
from apps.transactions.services.reports import organisation_id_of
from apps.transactions.validation import BatchContext, ValidReport, validate_report

logger = logging.getLogger(__name__)

PENDING = [
    ImportBatch.Status.VALIDATING,
    ImportBatch.Status.VALID,
    ImportBatch.Status.INVALID,
    ImportBatch.Status.COMMITTING,
    ImportBatch.Status.COMMITTED,
]
MAX_STORED_ERRORS = 1000
CHUNK = 5000
PROGRESS_EVERY = 2000


class ImportRejected(DomainError):
    """The file has bad rows: `errors` lists each with its line number and reason."""

    def __init__(self, errors: list[dict], count: int):
        first = errors[0]["message"] if errors else ""
        super().__init__(
            _("%(n)s row(s) refused, nothing imported. %(first)s") % {"n": count, "first": first},
            field_errors={"file": [e["message"] for e in errors[:50]]},
        )
        self.errors = errors
        self.count = count


def _format_of(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx", "json"):
        raise DomainError(
            _("Upload a .csv or .xlsx file (download the template)."),
            field_errors={"file": [_("Only .csv and .xlsx files.")]},
        )
    return suffix


def import_upload(
    *, actor, content: bytes, filename: str, source: str = Source.UPLOAD
) -> ImportBatch:
    """Store a file for checking; the same file (by SHA-256) is refused while pending or done."""
    with transaction.atomic():
        batch = _store(actor, content, filename, source)
        audit_record(
            actor=actor,
            action="transactions.import_upload",
            obj=batch,
            changes={
                "file": batch.filename,
                "sha256": batch.sha256,
                "size": batch.size,
                "rows": batch.row_count,
            },
        )
    return batch


def _store(actor, content: bytes, filename: str, source: str) -> ImportBatch:
    organisation_id = organisation_id_of(actor)
    file_format = _format_of(filename)
    if not content:
        raise DomainError(_("The file is empty."), field_errors={"file": [_("Empty file.")]})
    if len(content) > settings.TRANSACTIONS_IMPORT_MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(mb)s MB: split it.")
            % {"mb": settings.TRANSACTIONS_IMPORT_MAX_BYTES // (1024 * 1024)},
            field_errors={"file": [_("Too large.")]},
        )
    digest = hashlib.sha256(content).hexdigest()
    _refuse_seen(organisation_id, digest)
    try:
        with transaction.atomic():
            batch = ImportBatch(
                organisation_id=organisation_id,
                uploaded_by=actor,
                source=source,
                filename=PurePath(filename).name[:255],
                file_format=file_format,
                sha256=digest,
                size=len(content),
                row_count=importing.count_rows(content, file_format),
            )
            batch.file.save(f"{uuid.uuid4().hex}.{file_format}", ContentFile(content), save=False)
            batch.save()
    except IntegrityError:
        _refuse_seen(organisation_id, digest)
        raise
    return batch


def _refuse_seen(organisation_id: int, digest: str) -> None:
    seen = (
        ImportBatch.objects.filter(
            organisation_id=organisation_id, sha256=digest, status__in=PENDING
        )
        .order_by("-created_at")
        .first()
    )
    if seen is not None:
        raise ConflictError(
            _(
                "This file was already uploaded on %(date)s as import #%(n)s (%(status)s): "
                "the same file is never imported twice."
            )
            % {
                "date": timezone.localtime(seen.created_at).strftime("%Y-%m-%d %H:%M"),
                "n": seen.pk,
                "status": seen.get_status_display().lower(),
            },
            field_errors={"file": [_("Already uploaded.")]},
        )


def needs_task(batch: ImportBatch) -> bool:
    return batch.row_count > settings.TRANSACTIONS_IMPORT_SYNC_MAX_ROWS


def _unwrapped(stream):
    """The storage's own file object when it has one: reading line by line through Django's
    File wrappers asks `closed` through a chain of Python calls on every read."""
    inner = getattr(getattr(stream, "file", None), "file", None)
    return inner if isinstance(inner, io.IOBase) else stream


def _rows(batch: ImportBatch) -> Iterator[tuple[int, object]]:
    reader = importing.READERS[batch.file_format]
    with batch.file.open("rb") as stream:
        data = _unwrapped(stream) if batch.file_format != "xlsx" else io.BytesIO(stream.read())
        yield from reader(data)


def _validated(batch: ImportBatch, ctx: BatchContext, on_progress=None):
    """(line number, ValidReport | None, messages) per row, streaming."""
    word = importing.LABEL[batch.file_format]
    for count, (number, row) in enumerate(_rows(batch), start=1):
        label = f"{word} {number}"
        valid, problems = validate_report(row, ctx, prefix=f"{label}: ", line_labels=[label])
        yield number, valid, problems.messages
        if on_progress and count % PROGRESS_EVERY == 0:
            on_progress(count)


def import_check(batch_id: int, *, actor=None) -> ImportBatch:
    """Check every row (the preview): every bad row is listed with its line number and reason.

    One audit event with the outcome; `actor` is the user who started a synchronous check, None
    for the Celery task.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.VALIDATING:
        return batch
    _save_checked(batch, _check_rows(batch), actor)
    return batch


@transaction.atomic
def _save_checked(batch: ImportBatch, fields: list[str], actor) -> None:
    batch.save(update_fields=fields)
    audit_record(
        actor=actor,
        actor_label=None if actor else "task transactions.check_import",
        action="transactions.import_check",
        obj=batch,
        changes={
            "status": batch.status,
            "rows": batch.row_count,
            "errors": batch.error_count,
            "total_kg": batch.totals["total_kg"],
        },
    )


def _check_rows(batch: ImportBatch) -> list[str]:
    """Check the rows and set the outcome on `batch` (saved by the caller); the fields to save.

    Outside any transaction: the progress of a long check is seen while it runs.
    """
    ctx = BatchContext(batch.organisation_id)
    context_digest = ctx.digest()
    errors: list[dict] = []
    error_count = rows = 0
    draws: dict[int, Decimal] = defaultdict(Decimal)
    client_ids: set[int] = set()
    total_kg = Decimal(0)
    staging = (  # closed below, once saved to storage (a temp file is removed on close)
        tempfile.TemporaryFile("w+b")  # noqa: SIM115
        if connection.vendor == "postgresql"
        else None
    )

    def progress(done: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(rows_checked=done)

    try:
        for number, valid, messages in _validated(batch, ctx, progress):
            rows += 1
            if valid is None:
                error_count += 1
                if len(errors) < MAX_STORED_ERRORS:
                    errors.extend({"line": number, "message": m} for m in messages)
                continue
            total_kg += valid.total_kg
            client_ids.update((valid.purchaser_id, valid.consignee_id, valid.end_user_id))
            if staging is not None and not error_count:
                staging.write(stage_record(valid, batch).encode())
            for line in valid.lines:
                if line.licence_line_id:
                    draws[line.licence_line_id] += line.quantity_licence_unit
    except importing.FileProblem as exc:
        errors, error_count = [{"line": 1, "message": str(exc)}], 1
    if rows == 0 and not errors:
        errors, error_count = [{"line": 1, "message": _("The file has no rows.")}], 1
    batch.status = ImportBatch.Status.INVALID if error_count else ImportBatch.Status.VALID
    batch.row_count = rows
    batch.rows_checked = rows
    batch.error_count = error_count
    batch.errors = errors[:MAX_STORED_ERRORS]
    batch.totals = {
        "reports": rows - error_count,
        "total_kg": str(total_kg),
        "draws": {str(k): str(v) for k, v in sorted(draws.items())},
        "client_ids": sorted(client_ids),
    }
    batch.totals["context"] = context_digest
    batch.checked_at = timezone.now()
    fields = []
    if staging is not None:
        if not error_count:
            staging.seek(0)
            batch.staged.save(f"{uuid.uuid4().hex}.staged", File(staging), save=False)
            fields.append("staged")
        staging.close()
    return [
        *fields,
        "status",
        "row_count",
        "rows_checked",
        "error_count",
        "errors",
        "totals",
        "checked_at",
    ]


def import_start(*, actor, batch: ImportBatch) -> ImportBatch:
    """Check now (small files) or enqueue the check after commit (large files)."""
    if needs_task(batch):
        from apps.transactions import tasks

        transaction.on_commit(lambda: tasks.check_import.delay(batch.pk))
        return batch
    return import_check(batch.pk, actor=actor)


def _claim(actor, batch: ImportBatch) -> None:
    if organisation_id_of(actor) != batch.organisation_id:
        raise PermissionDeniedError(_("This import belongs to another company."))
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALID).update(
        status=ImportBatch.Status.COMMITTING, rows_checked=0
    )
    if not claimed:
        batch.refresh_from_db()
        raise ConflictError(
            _("Import #%(n)s is %(status)s: only a checked file without errors is imported.")
            % {"n": batch.pk, "status": batch.get_status_display().lower()}
        )


def import_commit(*, actor, batch: ImportBatch) -> ImportBatch:
    """Import a checked file, all or nothing (large files: by a task, enqueued on commit)."""
    _claim(actor, batch)
    if needs_task(batch):
        from apps.transactions import tasks

        transaction.on_commit(lambda: tasks.commit_import.delay(batch.pk, actor.pk))
        batch.refresh_from_db()
        return batch
    return import_commit_now(batch.pk, actor)


def import_now(*, actor, content: bytes, filename: str, source: str = Source.API) -> ImportBatch:
    """Upload, check and import a small file in one step (the API's bulk call).

    The steps are one write of the user's, so one audit event: the import's, naming the file,
    its SHA-256 and its rows; or, for a file with a bad row, the check's, listing the refusal
    (the file is then set aside, so its hash may be sent again, and refused with every bad row).
    """
    batch = _store(actor, content, filename, source)
    fields = _check_rows(batch)
    if batch.status != ImportBatch.Status.VALID:
        with transaction.atomic():
            _save_checked(batch, fields, actor)
            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DISCARDED)
        raise ImportRejected(batch.errors, batch.error_count)
    batch.save(update_fields=fields)
    return import_commit(actor=actor, batch=batch)


@transaction.atomic
def import_discard(*, actor, batch: ImportBatch) -> ImportBatch:
    """Set aside a checked file that will not be imported (its hash may then be uploaded again)."""
    if organisation_id_of(actor) != batch.organisation_id:
        raise PermissionDeniedError(_("This import belongs to another company."))
    updated = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[ImportBatch.Status.VALID, ImportBatch.Status.INVALID]
    ).update(status=ImportBatch.Status.DISCARDED)
    if not updated:
        raise ConflictError(_("Only a checked file that was not imported can be discarded."))
    batch.refresh_from_db()
    audit_record(
        actor=actor,
        action="transactions.import_discard",
        obj=batch,
        changes={"status": ImportBatch.Status.DISCARDED, "file": batch.filename},
    )
    return batch


def import_commit_now(batch_id: int, actor) -> ImportBatch:
    """The commit itself; on refusal the batch is marked failed with the reasons, and raised."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.COMMITTING:
        return batch
    try:
        _commit(batch, actor)
    except DomainError as exc:
        errors = getattr(exc, "errors", None) or [{"line": 0, "message": exc.message}]
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED,
            errors=errors[:MAX_STORED_ERRORS],
            error_count=getattr(exc, "count", 1),
        )
        raise
    batch.refresh_from_db()
    return batch


@transaction.atomic
def _commit(batch: ImportBatch, actor) -> None:
    # The clients named are screened in the import's transaction so the hits it records are
    # named in its one audit event (and a refused import records none).
    clients = list(Client.objects.filter(pk__in=batch.totals.get("client_ids", [])))
    screened = screening.record_hits(clients)
    ctx = BatchContext(batch.organisation_id)
    planned = {int(k): Decimal(v) for k, v in batch.totals.get("draws", {}).items()}
    # The lines first, in id order (the same lock order as a single report).
    after = ledger.draw(planned)
    now = timezone.now()
    writer = _Writer(batch, actor, now)
    if batch.staged and writer.postgres and batch.totals.get("context") == ctx.digest():
        # Nothing the rows were checked against has changed: load the checked rows as they are.
        writer.copy_staged()
    else:
        _check_and_write(batch, ctx, writer, planned)
    _finish(batch, actor, ctx, planned, after, writer, now, screened)


def _check_and_write(batch, ctx, writer, planned) -> None:
    """Check every row again (something changed since the preview) and write it."""
    drawn: dict[int, Decimal] = defaultdict(Decimal)
    errors: list[dict] = []
    error_count = 0
    chunk: list[ValidReport] = []
    for number, valid, messages in _validated(batch, ctx):
        if valid is None:
            error_count += 1
            if len(errors) < MAX_STORED_ERRORS:
                errors.extend({"line": number, "message": m} for m in messages)
            continue
        if error_count:
            continue
        for line in valid.lines:
            if line.licence_line_id:
                drawn[line.licence_line_id] += line.quantity_licence_unit
        chunk.append(valid)
        if len(chunk) >= CHUNK:
            writer.write(chunk)
            chunk = []
    if error_count:
        raise ImportRejected(errors, error_count)
    if chunk:
        writer.write(chunk)
    if dict(drawn) != planned:
        raise ConflictError(
            _("The data changed since the file was checked: upload it again to re-check.")
        )


def _finish(batch, actor, ctx, planned, after, writer, now, screened) -> None:
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            licence_line_id=line_id,
            kind=LedgerEntry.Kind.DRAW,
            amount=amount,
            balance_after=after[line_id],
            import_batch=batch,
            reason=_("Import #%(n)s (%(file)s)") % {"n": batch.pk, "file": batch.filename},
            actor=actor,
            created_at=now,
        )
        for line_id, amount in sorted(planned.items())
    )
    licence_ids = {ctx.line_by_id[line_id].licence_id for line_id in planned}
    exhausted = ledger.exhaust_used_up(licence_ids)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.COMMITTED,
        committed_at=now,
        rows_checked=writer.count,
        errors=[],
        error_count=0,
    )
    audit_record(
        actor=actor,
        action="transactions.import",
        obj=batch,
        changes={
            "file": batch.filename,
            "sha256": batch.sha256,
            "rows": writer.count,
            "total_kg": batch.totals.get("total_kg"),
            "draws": batch.totals.get("draws"),
            "screening": {
                "screened": screened.screened,
                "new_hits": screened.created,
                "reopened": screened.reopened,
                "lapsed": screened.lapsed,
            },
            **({"licence_exhausted": exhausted} if exhausted else {}),
        },
    )


REPORT_COLUMNS = [
    "id",
    "organisation_id",
    "reference",
    "licence_id",
    "status",
    "source",
    "purchaser_id",
    "consignee_id",
    "end_user_id",
    "incoterm",
    "contract_date",
    "loading_date",
    "departure_date",
    "arrival_date",
    "origin",
    "destination_country",
    "port_of_clearance",
    "customs_declaration_number",
    "total_kg",
    "screening_flag",
    "screening_hits",
    "filed_by_id",
    "filed_at",
    "import_batch_id",
    "cancel_reason",
]
LINE_COLUMNS = [
    "id",
    "report_id",
    "position",
    "catalogue_entry_id",
    "form",
    "hs_code",
    "quantity",
    "unit",
    "quantity_kg",
    "licence_line_id",
    "quantity_licence_unit",
    "value",
    "currency",
]


# A checked row is staged as one line of COPY text: the report's fields in this order, then
# each line's fields, \x1f between them. Ids, numbers, dates, codes checked against fixed
# patterns (incoterm, country, currency, form, unit, declaration number, HS code) cannot hold a
# tab, newline or backslash; only free text and JSON are escaped.
STAGED_REPORT_COLUMNS = [
    c for c in REPORT_COLUMNS if c not in ("id", "filed_by_id", "filed_at", "import_batch_id")
]
STAGED_LINE_COLUMNS = [c for c in LINE_COLUMNS if c not in ("id", "report_id", "position")]
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1f": "\\x1f"})


def _text(value: str) -> str:
    """Free text in COPY's text format."""
    return value.translate(_ESCAPES)


def _opt(value) -> str:
    """An optional id or number in COPY's text format."""
    return "\\N" if value is None else str(value)


def stage_record(valid: ValidReport, batch: ImportBatch) -> str:
    """A checked row for COPY, its fields in the order of STAGED_REPORT_COLUMNS and
    STAGED_LINE_COLUMNS (an f-string: this runs once per row of a 100,000-row file)."""
    v = valid
    hits = _text(json.dumps(v.screening_hits)) if v.screening_hits else "[]"
    flag = "t" if v.screening_hits else "f"
    parts = [
        f"{batch.organisation_id}\t{_text(v.reference)}\t{_opt(v.licence_id)}\taccepted\t"
        f"{batch.source}\t{v.purchaser_id}\t{v.consignee_id}\t{v.end_user_id}\t{v.incoterm}\t"
        f"{v.contract_date}\t{v.loading_date}\t{v.departure_date}\t{v.arrival_date}\t"
        f"{_text(v.origin)}\t{v.destination_country}\t{_text(v.port_of_clearance)}\t"
        f"{v.customs_declaration_number}\t{v.total_kg}\t{flag}\t{hits}\t"
    ]
    for line in v.lines:
        parts.append(
            f"{line.catalogue_entry_id}\t{line.form}\t{line.hs_code}\t{line.quantity}\t"
            f"{line.unit}\t{line.quantity_kg}\t{_opt(line.licence_line_id)}\t"
            f"{_opt(line.quantity_licence_unit)}\t{line.value}\t{line.currency}"
        )
    return "\x1f".join(parts) + "\n"


class _Writer:
    """Writes validated reports: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, batch: ImportBatch, actor, now):
        self.batch = batch
        self.actor_id = actor.pk
        self.now = now
        self.count = 0
        self.postgres = connection.vendor == "postgresql"
        self.source = batch.source
        self._sequences: dict[str, int] = {}

    def write(self, chunk: list[ValidReport]) -> None:
        if self.postgres:
            self._copy(chunk)
        else:
            self._bulk_create(chunk)
        self.count += len(chunk)
        ImportBatch.objects.filter(pk=self.batch.pk).update(rows_checked=self.count)

    def copy_staged(self) -> None:
        """COPY the rows staged by the check, adding ids and who / when / which import."""
        report_table = TransactionReport._meta.db_table
        line_table = TransactionLine._meta.db_table
        tail = f"\t{self.actor_id}\t{self.now.isoformat()}\t{self.batch.pk}\n"
        report_sql = (
            f"COPY {report_table} (id, {', '.join(STAGED_REPORT_COLUMNS)}, "
            "filed_by_id, filed_at, import_batch_id) FROM STDIN"
        )
        line_sql = (
            f"COPY {line_table} (id, report_id, position, {', '.join(STAGED_LINE_COLUMNS)}) "
            "FROM STDIN"
        )
        with self.batch.staged.open("rb") as raw:
            text = io.TextIOWrapper(_unwrapped(raw), encoding="utf-8", newline="\n")
            while records := [r.rstrip("\n").split("\x1f") for r in itertools.islice(text, CHUNK)]:
                with connection.cursor() as cursor:
                    report_ids = self._ids(cursor, report_table, len(records))
                    line_ids = iter(self._ids(cursor, line_table, sum(len(r) - 1 for r in records)))
                    reports = "".join(
                        f"{rid}\t{r[0]}{tail}" for rid, r in zip(report_ids, records, strict=True)
                    )
                    lines = "".join(
                        f"{next(line_ids)}\t{rid}\t{position}\t{fields}\n"
                        for rid, r in zip(report_ids, records, strict=True)
                        for position, fields in enumerate(r[1:], start=1)
                    )
                    with cursor.copy(report_sql) as copy:
                        copy.write(reports)
                    with cursor.copy(line_sql) as copy:
                        copy.write(lines)
                self.count += len(records)

    def _ids(self, cursor, table: str, n: int) -> list[int]:
        """`n` new ids of `table` (the sequence is looked up once: per row it costs 6x)."""
        if table not in self._sequences:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid", [table])
            self._sequences[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::oid) FROM generate_series(1, %s)", [self._sequences[table], n]
        )
        return [row[0] for row in cursor.fetchall()]

    def _copy(self, chunk: list[ValidReport]) -> None:
        report_table = TransactionReport._meta.db_table
        line_table = TransactionLine._meta.db_table
        n_lines = sum(len(r.lines) for r in chunk)
        with connection.cursor() as cursor:
            report_ids = self._ids(cursor, report_table, len(chunk))
            line_ids = iter(self._ids(cursor, line_table, n_lines))
            org, batch_id, actor_id, now = (
                self.batch.organisation_id,
                self.batch.pk,
                self.actor_id,
                self.now,
            )
            with cursor.copy(
                f"COPY {report_table} ({', '.join(REPORT_COLUMNS)}) FROM STDIN"
            ) as copy:
                for report_id, r in zip(report_ids, chunk, strict=True):
                    copy.write_row(
                        (
                            report_id,
                            org,
                            r.reference,
                            r.licence_id,
                            "accepted",
                            self.source,
                            r.purchaser_id,
                            r.consignee_id,
                            r.end_user_id,
                            r.incoterm,
                            r.contract_date,
                            r.loading_date,
                            r.departure_date,
                            r.arrival_date,
                            r.origin,
                            r.destination_country,
                            r.port_of_clearance,
                            r.customs_declaration_number,
                            r.total_kg,
                            bool(r.screening_hits),
                            json.dumps(r.screening_hits),
                            actor_id,
                            now,
                            batch_id,
                            "",
                        )
                    )
            with cursor.copy(f"COPY {line_table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
                for report_id, r in zip(report_ids, chunk, strict=True):
                    for position, line in enumerate(r.lines, start=1):
                        copy.write_row(
                            (
                                next(line_ids),
                                report_id,
                                position,
                                line.catalogue_entry_id,
                                line.form,
                                line.hs_code,
                                line.quantity,
                                line.unit,
                                line.quantity_kg,
                                line.licence_line_id,
                                line.quantity_licence_unit,
                                line.value,
                                line.currency,
                            )
                        )

    def _bulk_create(self, chunk: list[ValidReport]) -> None:
        reports = TransactionReport.objects.bulk_create(
            TransactionReport(
                organisation_id=self.batch.organisation_id,
                reference=r.reference,
                licence_id=r.licence_id,
                source=self.source,
                purchaser_id=r.purchaser_id,
                consignee_id=r.consignee_id,
                end_user_id=r.end_user_id,
                incoterm=r.incoterm,
                contract_date=r.contract_date,
                loading_date=r.loading_date,
                departure_date=r.departure_date,
                arrival_date=r.arrival_date,
                origin=r.origin,
                destination_country=r.destination_country,
                port_of_clearance=r.port_of_clearance,
                customs_declaration_number=r.customs_declaration_number,
                total_kg=r.total_kg,
                screening_flag=bool(r.screening_hits),
                screening_hits=r.screening_hits,
                filed_by_id=self.actor_id,
                filed_at=self.now,
                import_batch_id=self.batch.pk,
            )
            for r in chunk
        )
        TransactionLine.objects.bulk_create(
            TransactionLine(
                report_id=report.pk,
                position=position,
                catalogue_entry_id=line.catalogue_entry_id,
                form=line.form,
                hs_code=line.hs_code,
                quantity=line.quantity,
                unit=line.unit,
                quantity_kg=line.quantity_kg,
                licence_line_id=line.licence_line_id,
                quantity_licence_unit=line.quantity_licence_unit,
                value=line.value,
                currency=line.currency,
            )
            for report, r in zip(reports, chunk, strict=True)
            for position, line in enumerate(r.lines, start=1)
        )
