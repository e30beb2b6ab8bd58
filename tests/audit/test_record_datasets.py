"""Applications, licences, transactions, clients and screening hits as auditor datasets: each
lists for the auditor, each filter narrows, the CSV matches its manifest, free text is
neutralised, and no join repeats a row."""

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.audit import services, writers
from apps.audit.datasets import registry
from apps.audit.models import ExportJob
from apps.transactions.models import TransactionLine
from tests.audit.records_world import HOSTILE, Records
from tests.clients.factories import make_entry

NEW = ("applications", "licences", "transactions", "clients", "screening_hits")


def _run(auditor, dataset, fmt="csv", filters=None) -> ExportJob:
    job = services.export_request(actor=auditor, dataset=dataset, format=fmt, filters=filters or {})
    return services.export_run(job_id=job.pk)


def _file(job: ExportJob) -> bytes:
    return (Path(settings.EXPORT_ROOT) / job.file_name).read_bytes()


def _csv(job: ExportJob) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_file(job).decode(), newline="")))


@pytest.fixture
def records(producer, other_producer):
    return Records(producer, other_producer)


def _values(auditor, dataset, column, filters=None) -> list[str]:
    return sorted(row[column] for row in _csv(_run(auditor, dataset, "csv", filters)))


def test_every_record_kind_of_the_issue_is_registered():
    names = {d.name for d in registry.all_datasets()}
    assert set(NEW) <= names


@pytest.mark.parametrize("name", NEW)
def test_each_dataset_lists_for_the_auditor_with_its_filters(
    name, auditor, client_for, records, django_assert_max_num_queries
):
    client = client_for(auditor)
    with django_assert_max_num_queries(12):  # a page is a fixed number of queries: no N+1
        response = client.get(reverse("audit:dataset_list", args=[name]))
    assert response.status_code == 200
    body = response.content.decode()
    dataset = registry.get(name)
    for column in dataset.columns:
        assert escape(str(column.label)) in body
    for flt in dataset.filters:
        assert f'name="{flt.name}"' in body
    index = client.get(reverse("audit:dataset_index")).content.decode()
    assert reverse("audit:dataset_list", args=[name]) in index


def test_the_list_pages_sort_by_every_sortable_column(auditor, client_for, records):
    client = client_for(auditor)
    for name in NEW:
        for column in registry.get(name).sort_fields():
            url = reverse("audit:dataset_list", args=[name])
            for sort in (column, f"-{column}"):
                assert client.get(url, {"sort": sort}).status_code == 200, (name, sort)


def test_applications_filters(auditor, records):
    ours = str(records.licence.application_id)
    theirs = str(records.other_licence.application_id)
    assert _values(auditor, "applications", "id") == sorted([ours, theirs])
    assert _values(auditor, "applications", "id", {"element": "dysprosium"}) == [ours]
    assert _values(auditor, "applications", "id", {"destination": "KR"}) == [theirs]
    company = records.licence.organisation_id
    assert _values(auditor, "applications", "id", {"producer": company}) == [ours]
    assert _values(auditor, "applications", "id", {"status": "draft"}) == []
    assert _values(auditor, "applications", "id", {"q": records.licence.number}) == [ours]
    rows = _csv(_run(auditor, "applications", "csv", {"element": "dysprosium"}))
    assert rows[0]["reference"] == f"APP-{records.licence.application_id:07d}"
    assert rows[0]["licence_number"] == records.licence.number


def test_applications_date_range_is_on_submission(auditor, records):
    from apps.licensing.models import Application

    today = timezone.localdate()
    Application.objects.filter(pk=records.licence.application_id).update(
        submitted_at=timezone.now() - dt.timedelta(days=100)
    )
    Application.objects.filter(pk=records.other_licence.application_id).update(
        submitted_at=timezone.now()
    )
    recent = {"date_from": (today - dt.timedelta(days=5)).isoformat()}
    assert _values(auditor, "applications", "id", recent) == [
        str(records.other_licence.application_id)
    ]
    older = {"date_to": (today - dt.timedelta(days=50)).isoformat()}
    assert _values(auditor, "applications", "id", older) == [str(records.licence.application_id)]


def test_licences_filters_and_one_row_per_licence(auditor, records):
    ours, theirs = records.licence.number, records.other_licence.number
    assert _values(auditor, "licences", "number") == sorted([ours, theirs])
    assert _values(auditor, "licences", "number", {"element": "dysprosium"}) == [ours]
    assert _values(auditor, "licences", "number", {"element": "samarium"}) == [theirs]
    assert _values(auditor, "licences", "number", {"destination": "DE"}) == [ours]
    since = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    assert _values(auditor, "licences", "number", {"date_from": since}) == [theirs]
    producer = records.other_licence.organisation_id
    assert _values(auditor, "licences", "number", {"producer": producer}) == [theirs]
    assert _values(auditor, "licences", "number", {"status": "active"}) == sorted([ours, theirs])
    assert _values(auditor, "licences", "number", {"status": "revoked"}) == []


def test_transactions_are_one_row_per_line_with_the_report_fields(auditor, records):
    job = _run(auditor, "transactions", "csv")
    rows = _csv(job)
    assert len(rows) == job.row_count == TransactionLine.objects.count() == 4
    old = [r for r in rows if r["report_id"] == str(records.old_report.pk)]
    assert [r["position"] for r in old] == ["1", "2"]
    row = old[0]
    assert row["report_number"] == records.old_report.number
    assert row["licence_number"] == records.licence.number
    assert row["purchaser"] == "'" + HOSTILE  # neutralised
    assert row["purchaser_country"] == "DE"
    assert row["item"] == "1C905.a"
    assert row["element"] == "dysprosium"
    assert row["customs_declaration_number"] == records.old_report.customs_declaration_number
    assert row["quantity_kg"] == "1.000"
    assert row["status"] == "accepted"
    assert row["screening_flag"] in {"true", "false"}


def test_transactions_filters(auditor, records):
    old, cancelled, other = records.old_report.pk, records.report.pk, records.other_report.pk

    def reports(filters):
        return sorted({int(v) for v in _values(auditor, "transactions", "report_id", filters)})

    assert reports({}) == sorted([old, cancelled, other])
    assert reports({"element": "samarium"}) == [other]
    assert reports({"destination": "KR"}) == [other]
    assert reports({"status": "cancelled"}) == [cancelled]
    assert reports({"producer": records.licence.organisation_id}) == sorted([old, cancelled])
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert reports({"date_from": since}) == sorted([cancelled, other])
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert reports({"date_to": until}) == [old]
    assert reports({"q": "PO-2"}) == [cancelled]
    assert reports({"q": "busan"}) == [other]


def test_clients_and_hits_filters(auditor, records, producer):
    ours, theirs = str(records.buyer.pk), str(records.other_buyer.pk)
    assert _values(auditor, "clients", "id") == sorted([ours, theirs])
    assert _values(auditor, "clients", "id", {"destination": "KR"}) == [theirs]
    assert _values(auditor, "clients", "id", {"producer": records.buyer.organisation_id}) == [ours]
    assert _values(auditor, "clients", "id", {"q": "busan"}) == [theirs]
    assert _values(auditor, "clients", "id", {"status": "control"}) == []
    entry = make_entry("Busan Magnetics", country="KR")
    from apps.clients.models import ScreeningHit

    ScreeningHit.objects.create(
        client=records.other_buyer, list_entry=entry, score=95, fingerprint="f"
    )
    assert _values(auditor, "screening_hits", "client_id") == [theirs]
    assert _values(auditor, "screening_hits", "client_id", {"status": "dismissed"}) == []
    assert _values(auditor, "screening_hits", "client_id", {"destination": "DE"}) == []


@pytest.mark.parametrize("name", NEW)
def test_csv_row_count_and_hash_match_the_manifest(name, auditor, records):
    job = _run(auditor, name, "csv")
    content = _file(job)
    rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
    assert rows[0] == [c.name for c in registry.get(name).columns]
    expected = registry.get(name).base_queryset().count()
    assert len(rows) - 1 == job.row_count == expected
    manifest = job.manifest()
    assert manifest["row_count"] == job.row_count
    assert manifest["sha256"] == job.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("name", NEW)
def test_jsonl_and_xlsx_export_every_new_dataset(name, auditor, records):
    lines = [json.loads(x) for x in _file(_run(auditor, name, "jsonl")).decode().splitlines()]
    assert len(lines) == registry.get(name).base_queryset().count()
    assert all(set(line) == {c.name for c in registry.get(name).columns} for line in lines)
    assert _run(auditor, name, "xlsx").status == ExportJob.Status.DONE


def test_a_formula_in_a_client_name_is_neutralised_in_csv_and_exact_in_jsonl(auditor, records):
    (row,) = _csv(_run(auditor, "clients", "csv", {"destination": "DE"}))
    assert row["legal_name"] == "'" + HOSTILE
    (line,) = _file(_run(auditor, "clients", "jsonl", {"destination": "DE"})).decode().splitlines()
    assert json.loads(line)["legal_name"] == HOSTILE
    assert json.loads(line)["roles"] == ["purchaser", "consignee", "end_user"]


def test_free_text_columns_are_neutralised_and_codes_only_where_the_models_validate_them():
    sql, _ = writers.copy_sql(registry.get("transactions"), {}, "csv")
    columns = [c.name for c in registry.get("transactions").columns]
    for name in ("reference", "purchaser", "origin", "port_of_clearance", "element"):
        assert f"ascii(q.c{columns.index(name)})" in sql, name
    for name in ("customs_declaration_number", "hs_code", "currency", "quantity"):
        assert f"ascii(q.c{columns.index(name)})" not in sql, name


def test_the_element_filter_is_an_exists_and_never_repeats_a_row(records):
    dataset = registry.get("licences")
    with CaptureQueriesContext(connection) as queries:
        rows = list(dataset.rows({"element": "dysprosium"}))
    assert len(rows) == 1
    assert "EXISTS" in queries[-1]["sql"]


@pytest.mark.parametrize("name", NEW)
def test_producers_and_officials_cannot_reach_or_export_them(
    name, producer_admin, reviewer, approver, client_for, records
):
    url = reverse("audit:dataset_list", args=[name])
    for user in (producer_admin, reviewer, approver):
        assert client_for(user).get(url).status_code == 403
        response = client_for(user).post(
            reverse("audit:export_list"), {"dataset": name, "format": "csv"}
        )
        assert response.status_code == 403
    assert not ExportJob.objects.exists()
