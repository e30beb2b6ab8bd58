"""The control and watch lists: entries by hand and by CSV import, then re-screening."""

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record, diff
from apps.clients import permissions
from apps.clients.matching import (
    compact,
    normalise_identifier,
    normalise_name,
)
from apps.clients.models import (
    ListEntry,
    ListEntryTerm,
    ListKind,
)
from apps.clients.services.clients import clean_country, clean_text_list
from apps.core.errors import DomainError, PermissionDeniedError


def _parse_date(value, errors: dict, field: str, *, required: bool):
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            errors[field] = [_("Give the date (YYYY-MM-DD).")]
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = [_("“%(v)s” is not a date; write YYYY-MM-DD.") % {"v": text}]
        return None


def clean_list_entry(data: dict) -> dict:
    """A list entry's fields validated; raises DomainError with per-field messages."""
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "").strip().lower()
    if kind not in ListKind.values:
        errors["kind"] = [_("The list must be “control” or “watch”.")]
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the listed party's name.")]
    elif len(name) > 300:
        errors["name"] = [_("The name is longer than 300 characters.")]
    elif not normalise_name(name):
        errors["name"] = [_("The name needs letters besides a company form like “Ltd”.")]
    reason = str(data.get("reason") or "").strip()
    if not reason:
        errors["reason"] = [_("Give the reason for listing.")]
    listed_on = _parse_date(data.get("listed_on"), errors, "listed_on", required=True)
    delisted_on = _parse_date(data.get("delisted_on"), errors, "delisted_on", required=False)
    if listed_on and delisted_on and delisted_on < listed_on:
        errors["delisted_on"] = [_("The delisting date is before the listing date.")]
    clean = {
        "kind": kind,
        "name": name,
        "aliases": clean_text_list(data.get("aliases")),
        "country": clean_country(data.get("country"), errors, required=False),
        "identifiers": clean_text_list(data.get("identifiers")),
        "reason": reason,
        "listed_on": listed_on,
        "delisted_on": delisted_on,
    }
    if errors:
        raise DomainError(_("The list entry has errors; nothing was saved."), field_errors=errors)
    return clean


def _terms(entry: ListEntry) -> list[ListEntryTerm]:
    terms: dict[tuple[str, str], ListEntryTerm] = {}
    for name in [entry.name, *entry.aliases]:
        norm = normalise_name(name)
        if norm:
            terms[("name", norm)] = ListEntryTerm(
                entry=entry, kind=ListEntryTerm.Kind.NAME, value=norm[:300], compact=compact(norm)
            )
    for ident in entry.identifiers:
        norm = normalise_identifier(ident)
        if norm:
            terms[("id", norm)] = ListEntryTerm(
                entry=entry, kind=ListEntryTerm.Kind.IDENTIFIER, value=norm[:300]
            )
    return list(terms.values())


def _enqueue_rescreen(entry_ids: Iterable[int]) -> None:
    from apps.clients.tasks import rescreen_after_list_change

    ids = sorted(entry_ids)
    transaction.on_commit(lambda: rescreen_after_list_change.delay(ids))


def _require_list_manager(actor) -> None:
    if not permissions.can_manage_lists(actor):
        raise PermissionDeniedError(_("Only administrators manage the control and watch lists."))


@transaction.atomic
def list_entry_create(*, actor, data: dict) -> ListEntry:
    _require_list_manager(actor)
    clean = clean_list_entry(data)
    entry = ListEntry.objects.create(**clean)
    ListEntryTerm.objects.bulk_create(_terms(entry))
    audit_record(actor=actor, action="list_entry.create", obj=entry, changes=clean)
    _enqueue_rescreen([entry.pk])
    return entry


@transaction.atomic
def list_entry_update(*, actor, entry: ListEntry, data: dict) -> ListEntry:
    """Change or delist an entry (set `delisted_on`); the clients are screened again afterwards."""
    _require_list_manager(actor)
    locked = ListEntry.objects.select_for_update().get(pk=entry.pk)
    clean = clean_list_entry(data)
    before = {key: getattr(locked, key) for key in clean}
    changes = diff(before, clean)
    if not changes:
        return locked
    for key, value in clean.items():
        setattr(locked, key, value)
    locked.save()
    locked.terms.all().delete()
    ListEntryTerm.objects.bulk_create(_terms(locked))
    audit_record(actor=actor, action="list_entry.update", obj=locked, changes=changes)
    _enqueue_rescreen([locked.pk])
    return locked


CSV_COLUMNS = [
    "kind",
    "name",
    "aliases",
    "country",
    "identifiers",
    "reason",
    "listed_on",
    "delisted_on",
]
REQUIRED_COLUMNS = {"kind", "name", "reason", "listed_on"}
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_REPORTED_ERRORS = 500


@dataclass
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    """What an import file holds: the clean rows, or the errors that stop it (per line)."""

    filename: str
    sha256: str
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    entry_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(DomainError):
    def __init__(self, report: ImportReport):
        super().__init__(
            _("%(n)s error(s) in %(file)s; nothing was imported.")
            % {"n": len(report.errors), "file": report.filename}
        )
        self.report = report


def _decode(content: bytes | str, report: ImportReport) -> str | None:
    if isinstance(content, str):
        return content
    if len(content) > MAX_IMPORT_BYTES:
        report.errors.append(RowError(0, "", _("The file is larger than 10 MB; split it.")))
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(
            RowError(0, "", _("The file is not UTF-8 text; save it as CSV UTF-8."))
        )
        return None


def list_import_validate(content: bytes | str, filename: str = "upload.csv") -> ImportReport:
    """Read and check every row of a list CSV without writing anything.

    Columns: kind (control / watch), name, aliases and identifiers (separated by “;”), country
    (ISO 3166 alpha-2), reason, listed_on and delisted_on (YYYY-MM-DD).
    """
    raw = content.encode() if isinstance(content, str) else content
    report = ImportReport(filename=filename, sha256=hashlib.sha256(raw).hexdigest())
    text = _decode(content, report)
    if text is None:
        return report
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = sorted(REQUIRED_COLUMNS - set(header))
    unknown = sorted(set(header) - set(CSV_COLUMNS))
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing column(s): %(c)s") % {"c": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown column(s): %(c)s") % {"c": ", ".join(unknown)})
        report.errors.append(
            RowError(
                1,
                "",
                _("Header: %(p)s. Expected: %(e)s.")
                % {"p": "; ".join(parts), "e": ",".join(CSV_COLUMNS)},
            )
        )
        return report
    reader.fieldnames = header
    seen: dict[tuple, int] = {}
    lines: list[int] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            report.errors.append(RowError(line, "", _("More values than columns.")))
            continue
        if not any((v or "").strip() for v in row.values()):
            continue
        try:
            clean = clean_list_entry(row)
        except DomainError as exc:
            for name, messages in exc.field_errors.items():
                report.errors.extend(RowError(line, name, m) for m in messages)
            continue
        key = (clean["kind"], normalise_name(clean["name"]), clean["country"])
        if key in seen:
            report.errors.append(
                RowError(line, "name", _("Same party as line %(n)s.") % {"n": seen[key]})
            )
            continue
        seen[key] = line
        report.rows.append(clean)
        lines.append(line)
    if not report.rows and not report.errors:
        report.errors.append(RowError(0, "", _("The file has no rows to import.")))
    _check_already_listed(report, lines)
    return report


def _check_already_listed(report: ImportReport, lines: list[int]) -> None:
    """A party already on the same list (same name and country, not delisted) is an error."""
    norms = {normalise_name(row["name"]) for row in report.rows}
    listed: set[tuple] = set()
    norm_list = sorted(norms)
    for start in range(0, len(norm_list), 1000):
        listed.update(
            ListEntryTerm.objects.filter(
                kind=ListEntryTerm.Kind.NAME,
                value__in=norm_list[start : start + 1000],
                entry__delisted_on__isnull=True,
            ).values_list("entry__kind", "value", "entry__country")
        )
    for row, line in zip(report.rows, lines, strict=True):
        if (row["kind"], normalise_name(row["name"]), row["country"]) in listed:
            report.errors.append(
                RowError(
                    line,
                    "name",
                    _("“%(name)s” is already on the %(kind)s list.")
                    % {"name": row["name"], "kind": row["kind"]},
                )
            )
    report.errors.sort(key=lambda e: e.line)


@transaction.atomic
def list_import_csv(*, actor, content: bytes | str, filename: str) -> ImportReport:
    """Import a whole list file or nothing: one bad row rejects the file with every error listed.

    Recorded as one audit event naming the file, its SHA-256 and the row count (no per-row events:
    a 100,000-row import stays one fast bulk insert).
    """
    _require_list_manager(actor)
    report = list_import_validate(content, filename)
    if not report.ok:
        raise ImportRejected(report)
    entries = ListEntry.objects.bulk_create(
        [ListEntry(**row) for row in report.rows], batch_size=1000
    )
    ListEntryTerm.objects.bulk_create(
        [term for entry in entries for term in _terms(entry)], batch_size=2000
    )
    report.entry_ids = [e.pk for e in entries]
    audit_record(
        actor=actor,
        action="list_entry.import",
        changes={"file": filename, "sha256": report.sha256, "rows": len(entries)},
    )
    _enqueue_rescreen(report.entry_ids[:100])
    return report
