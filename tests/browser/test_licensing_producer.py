"""A producer files an application over the pages, submits it, answers a request for
information with an attachment, and sees the licence with its balance."""

import re

import pytest

from apps.licensing import services
from apps.licensing.models import Application
from tests.licensing.conftest import PDF, dysprosium_entry, make_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, kind_label: str, name: str) -> None:
    page.get_by_label("Kind of document").select_option(label=kind_label)
    page.get_by_label("File").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{name} uploaded.").is_visible()


def test_producer_files_submits_and_answers_a_request(
    page, login, screenshot, company, producer, reviewer, approver
):
    # given: a producer of a verified company with one client in the book
    dysprosium = dysprosium_entry()
    buyer = make_client(
        company, producer, "Rheinland Motoren GmbH", ["purchaser", "consignee", "end_user"]
    )
    login(producer)
    assert page.get_by_test_id("home-empty").is_visible()
    screenshot("lic-producer-home-empty")
    page.locator("nav.navbar").get_by_role("link", name="Applications").click()
    assert page.get_by_test_id("applications-empty").is_visible()
    screenshot("lic-producer-applications-empty")

    # when: they start a draft with the licence type and the header
    page.get_by_role("link", name="Start an application").first.click()
    page.get_by_label("Licence type").select_option("single")
    page.get_by_label("Contract number").fill("GZ-2026-0042")
    page.get_by_label("Contract date").fill("2026-01-05")
    page.get_by_label("Trade mode").select_option("general_trade")
    page.get_by_label("Payment method").select_option("lc")
    page.get_by_label("Transport mode").select_option("sea")
    page.get_by_label("Port of exit").fill("Shanghai")
    page.get_by_label("Destination country").select_option("DE")
    page.get_by_label("Final destination").fill("Stuttgart")
    page.locator("#id_end_use").fill("Traction motors for electric cars")
    page.get_by_label("End-use sector").select_option("automotive")
    screenshot("lic-producer-header-form")
    page.get_by_role("button", name="Create the draft").click()
    app = Application.objects.get()
    assert page.get_by_test_id("app-status").inner_text() == "Draft"
    assert page.get_by_test_id("problem").count() >= 5
    screenshot("lic-producer-draft-incomplete")

    # and: adds a line, first with a bad HS code, then right
    page.get_by_role("link", name="Add a line").click()
    page.get_by_label("Controlled item").select_option(str(dysprosium.pk))
    page.get_by_label("Form").select_option("metal")
    page.get_by_label("Element content (%)").fill("99.5")
    page.get_by_label("Quantity").fill("120.5")
    page.get_by_label("Unit", exact=True).select_option("kg")
    page.get_by_label("Unit price").fill("350")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("HS code").fill("28053012")
    page.get_by_role("button", name="Add the line").click()
    assert page.get_by_text("Give the 10-digit HS code, digits only.").is_visible()
    screenshot("lic-producer-line-error")
    page.get_by_label("HS code").fill("2805301200")
    page.get_by_role("button", name="Add the line").click()
    assert page.get_by_test_id("line-value").inner_text() == "42175.00 EUR"

    # and: names the parties from the client book
    page.get_by_role("link", name="Name the parties").click()
    for role in ("purchaser", "consignee", "end_user"):
        page.locator(f"#id_{role}").select_option(str(buyer.pk))
    screenshot("lic-producer-parties")
    page.get_by_role("button", name="Save the parties").click()
    assert page.get_by_text("Parties saved.").is_visible()

    # and: uploads the four documents: the panel turns green
    upload(page, "Contract copy", "contract.pdf")
    upload(page, "Technical description or test report", "test-report.pdf")
    upload(page, "End-user certificate", "euc.pdf")
    assert page.get_by_test_id("problem").count() == 1
    upload(page, "End-use statement", "end-use.pdf")
    assert page.get_by_test_id("complete").is_visible()
    screenshot("lic-producer-draft-complete")

    # then: submits it
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("app-status").inner_text() == "Submitted"
    assert page.get_by_test_id("clock-badge").is_visible()
    screenshot("lic-producer-submitted")

    # when: a reviewer takes the case and asks for information
    app.refresh_from_db()
    services.application_take(actor=reviewer, application=app)
    services.rfi_raise(
        actor=reviewer, application=app, question="Send the end-user certificate signed and dated."
    )

    # then: the producer sees what they owe on the home page and in the list
    page.goto("/")
    assert page.get_by_test_id("answers-owed").inner_text() == "1"
    screenshot("lic-producer-home-answer-owed")
    page.locator("nav.navbar").get_by_role("link", name="Applications").click()
    assert "Answer the request by" in page.get_by_test_id("next-step").inner_text()
    screenshot("lic-producer-applications")
    page.get_by_test_id("next-step").get_by_role("link").click()
    assert "signed and dated" in page.get_by_test_id("rfi-question").inner_text()
    assert "working days left" in page.get_by_test_id("rfi-due").inner_text()

    # when: they answer with an attachment
    page.get_by_label("Your answer").fill("The signed certificate is attached.")
    page.get_by_label("Attachments").set_input_files(
        {"name": "euc-signed.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    screenshot("lic-producer-rfi-answer")
    page.get_by_role("button", name="Send the answer").click()

    # then: the case is back under review with the answer and attachment on it
    assert page.get_by_test_id("app-status").inner_text() == "Under review"
    assert page.get_by_text("euc-signed.pdf").is_visible()
    assert (
        page.get_by_test_id("rfi").get_by_text("The signed certificate is attached.").is_visible()
    )
    screenshot("lic-producer-answered")

    # and later: the licence is issued; the producer sees it with its balance
    services.application_recommend(
        actor=reviewer, application=app, recommendation="approve", reasons="Complete."
    )
    services.application_decide(actor=approver, application=app, decision="approve")
    page.locator("nav.navbar").get_by_role("link", name="Licences").click()
    assert page.get_by_test_id("balance").inner_text() == "120.5 / 120.5 kg"
    screenshot("lic-producer-licences")
    page.get_by_role("link", name=re.compile(r"RT-\d{4}-\d{6}")).click()
    assert page.get_by_test_id("licence-status").inner_text() == "Active"
    screenshot("lic-producer-licence")
    page.get_by_role("link", name="Request an amendment").click()
    page.get_by_label("New port of exit").fill("Ningbo")
    page.get_by_label("Why the change is needed").fill("The carrier moved to Ningbo.")
    page.get_by_role("button", name="Request the amendment").click()
    assert page.get_by_test_id("amendment-row").is_visible()
    screenshot("lic-producer-licence-amended")
