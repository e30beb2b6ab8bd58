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
from apps.audit.models import AuditEvent, ExportJob
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


def test_copy_statement_neutralises_text_columns():
    sql, _params = writers.copy_sql(registry.get("organisations"), {}, "csv")
    assert "CASE WHEN ascii(q.c1) IN (61, 43, 45, 64, 9, 13) THEN '''' || q.c1" in sql


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
