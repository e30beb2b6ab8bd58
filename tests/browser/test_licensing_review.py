"""A case from the queue to the licence, in the browser: reviewer, producer, approver."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from apps.licensing import services
from apps.licensing.workflow import ApplicationStatus as S
from tests.licensing import official_world as ow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, login, user):
    page.context.clear_cookies()
    login(user)


def test_reviewer_and_approver_take_a_case_to_a_licence(
    page, login, screenshot, producer, reviewer, approver
):
    app = ow.case(producer, quantities=("100.000", "40.000"))

    # the reviewer finds the case in the queue and takes it
    login(reviewer)
    page.locator("#mainnav").get_by_role("link", name="Review queue").click()
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    page.get_by_test_id("preset-unassigned").click()
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    screenshot("review-queue")
    page.get_by_role("link", name=app.reference).click()
    page.get_by_role("button", name="Take this case").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Under review")

    # asks for information; the clock pauses
    page.get_by_label("Question to the producer").fill("Send the signed end-user certificate.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Information requested")
    expect(page.get_by_test_id("clock")).to_contain_text("paused")

    # the producer answers (through the services: their pages are built elsewhere)
    services.rfi_answer(actor=producer, application=app, answer="Certificate attached.")

    # the reviewer adds a note and recommends approval
    page.reload()
    expect(page.get_by_test_id("rfi")).to_contain_text("Certificate attached.")
    page.get_by_label("Internal note").fill("End user known from earlier cases.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_test_id("notes")).to_contain_text("End user known")
    page.get_by_label("Approve").check()
    page.get_by_label("Reasons").fill("Complete; end user verified.")
    screenshot("review-case")
    page.get_by_role("button", name="Recommend").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Reviewed")
    expect(page.get_by_test_id("decision")).to_have_count(0)

    # the approver approves line 1 reduced to 60 kg
    switch_user(page, login, approver)
    page.goto(f"/review/?status={S.REVIEWED}")
    page.get_by_role("link", name=app.reference).click()
    decision = page.get_by_test_id("decision")
    decision.get_by_label("Approve").check()
    first = app.lines.order_by("position").first()
    decision.locator(f"#id_line_{first.pk}").fill("60")
    decision.get_by_label("Conditions").fill("No re-export without consent.")
    screenshot("review-decision")
    page.once("dialog", lambda dialog: dialog.accept())
    decision.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Approved")
    app.refresh_from_db()
    licence = app.licence
    assert [line.quantity_granted for line in licence.lines.order_by("id")] == [
        Decimal("60.000"),
        Decimal("40.000"),
    ]

    # the producer sees the licence and downloads the PDF
    switch_user(page, login, producer)
    page.goto(f"/review/licences/{licence.pk}/print/")
    expect(page.get_by_test_id("licence-sheet")).to_contain_text(licence.number)
    expect(page.get_by_test_id("granted").first).to_have_text("60 kg")
    screenshot("licence-print")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{licence.number}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
