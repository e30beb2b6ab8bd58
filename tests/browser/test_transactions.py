"""A producer reports a shipment in the form, sees the balance drop, uploads a CSV with a bad
row, sees the preview's error, fixes the file and imports it; an official sees the search."""

import datetime as dt

import pytest

from apps.transactions.demo import demo_client, entry_for, make_licence
from tests.transactions.test_imports import rows_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(company, producer):
    buyer = demo_client(company, producer, "Rheinland Motoren GmbH", "DE", "automotive")
    entry = entry_for("1C905.a", "metal")
    licence = make_licence(
        organisation=company, user=producer, end_user=buyer, entry=entry, quantity=100
    )
    return {"buyer": buyer, "entry": entry, "licence": licence}


def test_producer_reports_uploads_and_sees_balances(
    page, login, screenshot, producer, world, tmp_path
):
    buyer, licence = world["buyer"], world["licence"]
    login(producer)
    page.get_by_role("link", name="Transactions").first.click()
    page.get_by_role("link", name="Report a shipment").click()
    loading = dt.date.today() - dt.timedelta(days=3)
    page.get_by_label("Your reference").fill("PO-7")
    page.get_by_label("Licence").select_option(licence.number)
    for role in ("Purchaser", "Consignee", "End user"):
        page.get_by_label(role, exact=True).select_option(str(buyer.pk))
    page.get_by_label("Incoterm (2020)").select_option("CIF")
    page.get_by_label("Contract date").fill(str(loading - dt.timedelta(days=10)))
    page.get_by_label("Loading date").fill(str(loading))
    page.get_by_label("Departure date").fill(str(loading))
    page.get_by_label("Arrival date").fill(str(loading + dt.timedelta(days=25)))
    page.get_by_label("Origin").fill("Ganzhou")
    page.get_by_label("Destination country").fill("DE")
    page.get_by_label("Port of customs clearance").fill("Shanghai")
    page.get_by_label("Customs declaration number").fill(f"2201{loading.year}0000000777")
    page.locator("select[name=lines-0-item]").select_option(str(world["entry"].pk))
    page.locator("select[name=lines-0-form]").select_option("metal")
    page.locator("input[name=lines-0-quantity]").fill("12.5")
    page.locator("input[name=lines-0-value]").fill("4375")
    screenshot("transactions-form")
    page.get_by_role("button", name="File the report").click()
    page.wait_for_load_state()
    assert "12.500 kg drawn from the licence" in page.content()
    assert page.get_by_test_id("report-status").inner_text() == "Accepted"
    screenshot("transactions-report-detail")

    page.goto("/transactions/balances/")
    assert page.get_by_test_id("balance").first.inner_text() == "87.500 kg"
    screenshot("transactions-balances")

    bad = tmp_path / "shipments.csv"
    bad.write_bytes(rows_csv(licence, buyer, 4, quantity="1", bad_at=2, bad={"incoterm": "XYZ"}))
    page.goto("/transactions/uploads/")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("preview-error")
    assert errors.count() == 1
    assert "Line 4: Incoterm 'XYZ' is not an Incoterms 2020 rule" in errors.first.inner_text()
    screenshot("transactions-upload-preview-error")
    page.get_by_role("button", name="Discard").click()
    page.wait_for_load_state()

    fixed = tmp_path / "shipments-fixed.csv"
    fixed.write_bytes(rows_csv(licence, buyer, 4, quantity="1"))
    page.get_by_label("CSV or XLSX file").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("preview-ok").is_visible()
    page.get_by_role("button", name="Import all rows").click()
    page.wait_for_load_state()
    assert "4 reports filed" in page.content()
    screenshot("transactions-upload-committed")
    page.goto("/transactions/balances/")
    assert page.get_by_test_id("balance").first.inner_text() == "83.500 kg"
    page.goto(f"/transactions/licences/{licence.pk}/ledger/")
    assert page.get_by_test_id("balance-chart").is_visible()
    assert page.get_by_test_id("ledger-row").count() == 2
    # the chart's figures as a table: from the grant down to what is left
    page.get_by_text("Show the figures as a table").click()
    rows = page.get_by_test_id("balance-table").locator("tbody tr")
    assert rows.first.inner_text().split("\t")[-1] == "100.000 kg"
    assert rows.last.inner_text().split("\t")[-1] == "83.500 kg"
    screenshot("transactions-licence-ledger")
    page.goto("/transactions/uploads/")
    screenshot("transactions-uploads")


def test_producer_cancels_a_report_and_the_quantity_comes_back(
    page, login, screenshot, producer, world
):
    from apps.transactions import services
    from tests.transactions.conftest import report_input

    report = services.transaction_report(
        actor=producer, data=report_input(world["licence"], world["buyer"])
    )
    login(producer)
    page.goto(f"/transactions/{report.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Reason").fill("Shipment held at the port")
    page.get_by_role("button", name="Cancel report").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-status").inner_text() == "Cancelled"
    page.goto("/transactions/balances/")
    assert page.get_by_test_id("balance").first.inner_text() == "100.000 kg"
    page.goto("/transactions/returns/")
    screenshot("transactions-returns")


def test_official_searches_across_producers(
    page, nav, login, screenshot, reviewer, producer, world
):
    from apps.transactions import services
    from tests.transactions.conftest import report_input

    services.transaction_report(actor=producer, data=report_input(world["licence"], world["buyer"]))
    login(reviewer)
    nav("Transactions")
    assert page.get_by_test_id("search-row").count() == 1
    page.get_by_label("Licence").fill(world["licence"].number)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("search-row").count() == 1
    screenshot("transactions-official-search")
    page.get_by_role("link", name="Totals per client entity").click()
    assert page.get_by_test_id("entity-row").count() == 1
    screenshot("transactions-entity-totals")


def test_producer_corrects_a_report_from_its_page(page, login, screenshot, producer, world):
    from apps.transactions import services
    from tests.transactions.conftest import report_input

    report = services.transaction_report(
        actor=producer, data=report_input(world["licence"], world["buyer"], reference="PO-9")
    )
    login(producer)
    page.goto(f"/transactions/{report.pk}/")
    page.get_by_role("link", name="Correct this report").click()
    page.wait_for_load_state()
    # prefilled from the report, with what the reversal gives back
    assert page.get_by_label("Your reference").input_value() == "PO-9"
    assert page.locator("input[name=lines-0-quantity]").input_value() == "1.000"
    assert page.get_by_test_id("effect-available").inner_text() == "100.000 kg"
    page.locator("input[name=lines-0-quantity]").fill("4.25")
    page.get_by_role("button", name="File the correction").click()
    page.wait_for_load_state()
    assert "Give the reason for the correction." in page.content()
    assert page.locator("input[name=lines-0-quantity]").input_value() == "4.25"
    page.get_by_label("Reason for the correction").fill("Weighbridge figure")
    screenshot("transactions-report-correct")
    page.get_by_role("button", name="File the correction").click()
    page.wait_for_load_state()
    assert f"replaces {report.number}" in page.content()
    assert "95.750 kg left" in page.content()
    assert page.get_by_test_id("report-status").inner_text() == "Accepted"
    screenshot("transactions-report-corrected")
    page.get_by_role("link", name=report.number).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-status").inner_text() == "Cancelled"
    assert page.get_by_test_id("corrected-by").is_visible()
