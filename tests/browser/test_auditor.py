"""The auditor's day: filter the trail, open a timeline, export, watch progress, download."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from apps.accounts import services as account_services
from apps.audit.services import audit_record
from tests.audit.records_world import Records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real Celery worker on the test database and the test broker, for background exports."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture
def history(administrator, company, other_company):
    account_services.organisation_set_status(
        actor=administrator, organisation=company, action="suspend", reason="End-use check failed"
    )
    account_services.organisation_set_status(
        actor=administrator, organisation=company, action="reinstate"
    )
    audit_record(actor=administrator, action="organisation.note", obj=other_company)
    return company


def test_auditor_filters_opens_a_timeline_exports_and_downloads(
    page, nav, login, auditor, history, celery_worker, screenshot
):
    login(auditor)
    # the audit trail, filtered to suspensions
    nav("Audit trail")
    page.get_by_label("Action").select_option("organisation.suspend")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("event-row")
    assert rows.count() == 1
    assert "organisation.suspend" in rows.first.inner_text()
    screenshot("auditor-trail-filtered")

    # the company's timeline: every event about it, oldest first
    rows.first.get_by_role("link", name=history.legal_name).click()
    assert page.get_by_test_id("timeline-heading").inner_text() == history.legal_name
    actions = page.get_by_test_id("timeline-event").all_inner_texts()
    assert len(actions) == 2
    assert "organisation.suspend" in actions[0]
    assert "organisation.reinstate" in actions[1]
    screenshot("auditor-timeline")

    # export the filtered trail as XLSX: a background job with a progress bar
    page.go_back()
    page.get_by_label("Export format").select_option("xlsx")
    page.get_by_role("button", name="Export these rows").click()
    assert page.get_by_test_id("export-progress").is_visible()
    screenshot("auditor-export-progress")
    download_link = page.get_by_test_id("download-link")
    download_link.wait_for(timeout=60_000)
    assert page.get_by_test_id("export-status").inner_text() == "Ready"
    assert page.get_by_test_id("manifest-rows").inner_text() == "1"
    screenshot("auditor-export-ready")

    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert (
        hashlib.sha256(content).hexdigest() == page.get_by_test_id("manifest-sha256").inner_text()
    )


def test_auditor_browses_records_and_checks_the_chain(
    page, nav, login, auditor, history, screenshot
):
    login(auditor)
    nav("Records")
    assert page.get_by_test_id("dataset-card").count() >= 3
    screenshot("auditor-records")
    page.get_by_test_id("dataset-card").filter(has_text="Producer companies").get_by_role(
        "link", name="Open"
    ).click()
    page.get_by_label("Status").select_option("verified")
    page.get_by_role("button", name="Filter").click()
    assert page.get_by_test_id("record-row").count() == 2
    screenshot("auditor-organisations")
    page.goto("/audit/chain/")
    page.get_by_role("link", name="Verify the whole chain now").click()
    assert "Chain intact" in page.get_by_test_id("verify-result").inner_text()
    screenshot("auditor-chain")
    nav("Exports")
    assert page.get_by_role("heading", name="My exports").is_visible()
    screenshot("auditor-exports")


def test_auditor_filters_transactions_by_element_and_exports_them(
    page, nav, login, auditor, producer, other_producer, screenshot
):
    records = Records(producer, other_producer)
    login(auditor)
    nav("Records")
    page.get_by_test_id("dataset-card").filter(has_text="Every line of every").get_by_role(
        "link", name="Open"
    ).click()
    assert page.get_by_test_id("record-row").count() == 4  # one row per line
    page.get_by_label("Element").select_option("samarium")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("record-row")
    assert rows.count() == 1
    assert records.other_report.number in rows.first.inner_text()
    screenshot("auditor-transactions")
    page.get_by_label("Export format").select_option("csv")
    page.get_by_role("button", name="Export these rows").click()
    page.get_by_test_id("download-link").wait_for(timeout=30_000)
    assert page.get_by_test_id("manifest-rows").inner_text() == "1"
