"""Exports: the manifest matches the file, filters apply, formula cells are neutralised."""

import csv
import hashlib
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import Organisation
from apps.audit import services, tasks, writers
from apps.audit.datasets import registry
from apps.audit.models import AuditEvent, ChainCheckpoint, ExportJob
from apps.core import context
from apps.core.errors import DomainError, PermissionDeniedError
from tests.factories import OrganisationFactory

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _file(job: ExportJob) -> bytes:
    return (Path(settings.EXPORT_ROOT) / job.file_name).read_bytes()


def _run(auditor, dataset, fmt, filters=None) -> ExportJob:
    job = services.export_request(actor=auditor, dataset=dataset, format=fmt, filters=filters or {})
    return services.export_run(job_id=job.pk)


@pytest.fixture
def formula_companies(db):
    return [
        OrganisationFactory(legal_name=f"{value} Co {n}", province=value)
        for n, value in enumerate(FORMULAS)
    ]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_manifest_row_count_and_hash_match_the_file(auditor, company, other_company, fmt):
    job = _run(auditor, "organisations", fmt)
    content = _file(job)
    assert job.status == ExportJob.Status.DONE
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    assert job.size_bytes == len(content)
    expected = Organisation.objects.count()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode())))
        assert rows[0][:2] == ["id", "legal_name"]
        assert len(rows) - 1 == job.row_count == expected
    elif fmt == "jsonl":
        lines = [json.loads(line) for line in content.decode().splitlines()]
        assert len(lines) == job.row_count == expected
        assert {line["legal_name"] for line in lines} >= {company.legal_name}
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet.max_row - 1 == job.row_count == expected
    manifest = job.manifest()
    assert manifest["row_count"] == job.row_count
    assert manifest["sha256"] == job.sha256
    assert manifest["requested_by"] == auditor.email


def test_csv_neutralises_formula_cells_in_sql(auditor, formula_companies):
    job = _run(auditor, "organisations", "csv")
    rows = list(csv.DictReader(io.StringIO(_file(job).decode(), newline="")))
    provinces = {row["province"] for row in rows}
    for value in FORMULAS:
        assert "'" + value in provinces
        assert value not in provinces
    assert all(not row["legal_name"].startswith(tuple("=+-@")) for row in rows)


def test_copy_statement_neutralises_only_columns_that_hold_free_text():
    sql, _params = writers.copy_sql(registry.get("organisations"), {}, "csv")
    assert "ascii(q.c1) IN (61, 43, 45, 64, 9, 13) THEN '''' || q.c1" in sql  # legal_name
    assert "ascii(q.c0)" not in sql  # id: a number
    assert "ascii(q.c3)" not in sql  # uscc: a code
    assert "ascii(q.c7)" not in sql  # created_at: a time


def test_xlsx_neutralises_formula_cells(auditor, formula_companies):
    job = _run(auditor, "organisations", "xlsx")
    sheet = load_workbook(io.BytesIO(_file(job))).active
    header = [c.value for c in sheet[1]]
    provinces = {row[header.index("province")] for row in sheet.iter_rows(2, values_only=True)}
    assert '\'=HYPERLINK("http://x")' in provinces
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_jsonl_keeps_values_exact_and_valid(auditor, formula_companies):
    job = _run(auditor, "organisations", "jsonl")
    lines = [json.loads(line) for line in _file(job).decode().splitlines()]
    assert {line["province"] for line in lines} >= set(FORMULAS)
    assert all(line["verified_at"] is None for line in lines)


def test_audit_events_export_carries_the_chain(auditor, company):
    services.audit_record(actor=auditor, action="test.write", obj=company, changes={"q": 'a"b\\c'})
    job = _run(auditor, "audit_events", "jsonl", {"action": "test.write"})
    (line,) = [json.loads(x) for x in _file(job).decode().splitlines()]
    event = AuditEvent.objects.get(action="test.write")
    assert line["hash"] == event.hash
    assert line["changes"] == {"q": 'a"b\\c'}
    assert line["object_type"] == "accounts.Organisation"


def test_filters_by_date_range_producer_and_status(auditor, company, other_company):
    old = OrganisationFactory(status="suspended")
    Organisation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    today = timezone.localdate().isoformat()
    job = _run(auditor, "organisations", "jsonl", {"date_from": today, "status": "verified"})
    names = {json.loads(x)["legal_name"] for x in _file(job).decode().splitlines()}
    assert names == {company.legal_name, other_company.legal_name}
    job = _run(auditor, "organisations", "csv", {"producer": str(other_company.pk)})
    assert job.row_count == 1
    assert job.filters == {"producer": other_company.pk}


def test_invalid_filters_are_refused_and_nothing_is_queued(auditor):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as excinfo:
        services.export_request(
            actor=auditor,
            dataset="organisations",
            format="csv",
            filters={"date_from": "2026-02-01", "date_to": "2026-01-01"},
        )
    assert "date_to" in excinfo.value.field_errors
    with pytest.raises(DomainError):
        services.export_request(
            actor=auditor, dataset="organisations", format="csv", filters={"date_from": "soon"}
        )
    assert not ExportJob.objects.exists()
    assert AuditEvent.objects.count() == before


def test_only_auditors_and_administrators_export(reviewer, producer_admin):
    for user in (reviewer, producer_admin):
        with pytest.raises(PermissionDeniedError):
            services.export_request(actor=user, dataset="users", format="csv", filters={})


def test_xlsx_is_queued_after_commit_and_the_task_writes_it(
    auditor, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(auditor).post(
            reverse("audit:export_list"), {"dataset": "users", "format": "xlsx"}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ExportJob.Status.QUEUED
    assert len(callbacks) == 1
    # the worker's run (twice: a redelivery changes nothing)
    tasks.run_export.apply(args=[job.pk])
    tasks.run_export.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert AuditEvent.objects.filter(action="export.complete", object_id=str(job.pk)).count() == 1


def test_small_csv_is_written_during_the_request_and_downloaded(auditor, client_for, company):
    client = client_for(auditor)
    response = client.post(
        reverse("audit:export_list"),
        {"dataset": "organisations", "format": "csv", "status": "verified"},
    )
    job = ExportJob.objects.get()
    assert response.url == reverse("audit:export_detail", args=[job.token])
    assert job.status == ExportJob.Status.DONE
    assert job.filters == {"status": "verified"}
    download = client.get(reverse("audit:export_download", args=[job.token]))
    body = b"".join(download.streaming_content)
    assert download.status_code == 200
    assert hashlib.sha256(body).hexdigest() == job.sha256 == download["X-Content-SHA256"]
    manifest = client.get(reverse("audit:export_manifest", args=[job.token])).json()
    assert manifest["sha256"] == job.sha256
    actions = list(
        AuditEvent.objects.filter(object_id=str(job.pk), object_type="audit.ExportJob")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["export.request", "export.complete"]


def test_download_link_expires_and_belongs_to_the_requester(
    auditor, administrator, client_for, company
):
    job = _run(auditor, "organisations", "csv")
    assert (
        client_for(administrator)
        .get(reverse("audit:export_download", args=[job.token]))
        .status_code
        == 404
    )
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_for(auditor).get(reverse("audit:export_download", args=[job.token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_progress_fragment_polls_until_done(auditor, client_for):
    job = services.export_request(actor=auditor, dataset="users", format="xlsx", filters={})
    client = client_for(auditor)
    fragment = client.get(reverse("audit:export_progress", args=[job.token])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    services.export_run(job_id=job.pk)
    fragment = client.get(reverse("audit:export_progress", args=[job.token])).content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("audit:export_download", args=[job.token]) in fragment


def test_a_failed_export_is_recorded_and_keeps_no_file(auditor, monkeypatch):
    job = services.export_request(actor=auditor, dataset="users", format="csv", filters={})

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writers, "write", broken)
    job = services.export_run(job_id=job.pk)
    assert job.status == ExportJob.Status.FAILED
    assert "disk full" in job.error
    assert not (Path(settings.EXPORT_ROOT) / f"{job.token}.csv").exists()
    assert AuditEvent.objects.filter(action="export.fail", object_id=str(job.pk)).exists()


AWKWARD_TEXT = [
    'He said "hi"',
    "C:\\exports\\x",
    "line one\nline two",
    "tab\there",
    "bell\x07",
    "稀土永磁 — Ø",
    "line\u2028separator",
]


def test_jsonl_stays_valid_json_whatever_the_text_holds(auditor):
    companies = [
        OrganisationFactory(legal_name=f"{value} {n}", status_reason=value)
        for n, value in enumerate(AWKWARD_TEXT)
    ]
    job = _run(auditor, "organisations", "jsonl")
    *lines, last = _file(job).decode().split("\n")  # JSON Lines: one object per \n
    rows = {row["id"]: row for row in map(json.loads, lines)}
    assert last == ""
    assert job.row_count == len(rows) == Organisation.objects.count()
    for company in companies:
        assert rows[company.pk]["status_reason"] == company.status_reason
        assert rows[company.pk]["legal_name"] == company.legal_name
        assert rows[company.pk]["uscc"] == company.uscc
        assert rows[company.pk]["verified_at"] is None


def test_jsonl_writes_null_for_a_value_behind_an_optional_relation(auditor, producer):
    job = _run(auditor, "users", "jsonl")
    rows = {row["email"]: row for row in map(json.loads, _file(job).decode().splitlines())}
    assert rows[auditor.email]["organisation"] is None  # an auditor belongs to no company
    assert rows[auditor.email]["organisation_id"] is None
    assert rows[auditor.email]["producer_role"] is None
    assert rows[auditor.email]["last_login"] is None
    assert rows[auditor.email]["is_active"] is True
    assert rows[producer.email]["organisation_id"] == producer.membership.organisation_id
    assert rows[producer.email]["producer_role"] == producer.membership.role


def _checkpoints() -> registry.Dataset:
    """A signed number beside free text (a reversal in a ledger is negative in the same way)."""
    return registry.Dataset(
        name="checkpoints",
        label="Checkpoints",
        model="audit.ChainCheckpoint",
        columns=(
            registry.Column("head_id", "head_id", kind="number"),
            registry.Column("problem", "problem"),
        ),
    )


def test_a_negative_number_stays_a_number_and_text_that_looks_like_one_is_neutralised(db, tmp_path):
    ChainCheckpoint.objects.create(ok=False, events_checked=1, head_id=-5, problem="-5 kg")
    dataset = _checkpoints()

    writers.write(dataset, {}, "csv", tmp_path / "x.csv")
    (row,) = csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text(), newline=""))
    assert row == {"head_id": "-5", "problem": "'-5 kg"}

    writers.write(dataset, {}, "xlsx", tmp_path / "x.xlsx")
    sheet = load_workbook(tmp_path / "x.xlsx").active
    number, text = sheet[2]
    assert (number.value, number.data_type) == (-5, "n")
    assert text.value == "'-5 kg"

    writers.write(dataset, {}, "jsonl", tmp_path / "x.jsonl")
    assert json.loads((tmp_path / "x.jsonl").read_text()) == {"head_id": -5, "problem": "-5 kg"}


def test_a_request_id_chosen_by_the_client_is_neutralised_like_any_free_text(auditor, company):
    hostile = '=cmd|" /C calc"!A0'
    origin = context.ActionContext(request_id=hostile, ip_address="203.0.113.7", user_agent="x")
    token = context.bind(origin)
    try:
        services.audit_record(actor=auditor, action="test.write", obj=company, changes={})
    finally:
        context.reset(token)
    job = _run(auditor, "audit_events", "csv", {"action": "test.write"})
    (row,) = csv.DictReader(io.StringIO(_file(job).decode(), newline=""))
    assert row["request_id"] == "'" + hostile
    assert row["ip_address"] == "203.0.113.7"
    job = _run(auditor, "audit_events", "jsonl", {"action": "test.write"})
    line = json.loads(_file(job))
    assert line["request_id"] == hostile
    assert line["ip_address"] == "203.0.113.7"  # as in the CSV: not the inet cast's 203.0.113.7/32


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_an_export_that_matches_nothing_is_empty_and_says_so(auditor, company, fmt):
    job = _run(auditor, "organisations", fmt, {"status": "suspended"})
    content = _file(job)
    assert job.row_count == 0
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    if fmt == "csv":
        assert content.decode().splitlines() == [",".join(c.name for c in _columns())]
    elif fmt == "jsonl":
        assert content == b""


def _columns():
    return registry.get("organisations").columns
