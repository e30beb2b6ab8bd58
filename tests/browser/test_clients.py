# ruff: noqa: RUF001 - Cyrillic letters that look Latin are the point of these tests
"""Browser tests of the clients pages: each action a producer, reviewer or administrator takes."""

import pytest

from apps.clients.models import Client, ListEntry, ScreeningHit
from tests.clients.factories import make_client, make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_user(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_producer_adds_a_listed_client_and_a_reviewer_confirms_the_hit(
    page, nav, login, producer, reviewer, screenshot
):
    make_entry("Volga Strategic Metals", country="RU", aliases=["Волга Стратегические Металлы"])
    # given a producer in its client book
    login(producer)
    page.get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="Add a client").click()
    # when it adds a client whose native name is the listed party's
    page.get_by_label("Legal name (Latin script)").fill("Volga Strategic Metals JSC")
    page.get_by_label("Name in native script").fill("АО Волга Стратегические Металлы")
    page.get_by_label("Country").select_option("RU")
    page.get_by_label("Sector", exact=True).select_option("research")
    page.get_by_label("Purchaser").check()
    screenshot("clients-form")
    page.get_by_role("button", name="Save client").click()
    # then the book shows the client under review, with a warning
    assert page.get_by_text("resembles a listed party").is_visible()
    row = page.get_by_test_id("client-row").filter(has_text="Volga Strategic Metals JSC")
    assert row.get_by_test_id("screening-status").inner_text() == "Possible match under review"
    screenshot("clients-book")

    # when a reviewer opens the screening queue and confirms the hit with a reason
    _switch_user(page, login, reviewer)
    nav("Screening")
    hit_row = page.get_by_test_id("hit-row").filter(has_text="Volga Strategic Metals JSC")
    assert "Control list" in hit_row.inner_text()
    screenshot("clients-hits")
    hit_row.get_by_placeholder("Reason").fill("Same firm: native name and country agree")
    hit_row.get_by_role("button", name="Confirm").click()
    # then the hit is confirmed and the client is on the control list
    assert page.get_by_text("Hit on Volga Strategic Metals JSC confirmed.").is_visible()
    hit = ScreeningHit.objects.get()
    assert hit.status == "confirmed"
    assert hit.decided_by == reviewer
    assert Client.objects.get().screening_status == "control"


def test_reviewer_dismisses_a_false_hit(page, login, producer, reviewer):
    make_entry("Hokuriku Denki", country="JP")
    make_client(producer, legal_name="Hokuriku Denki K.K.", country="JP")
    login(reviewer)
    page.goto("/clients/screening/")
    row = page.get_by_test_id("hit-row").first
    row.get_by_placeholder("Reason").fill("Different corporate number")
    row.get_by_role("button", name="Dismiss").click()
    assert page.get_by_text("Hit on Hokuriku Denki K.K. dismissed.").is_visible()
    assert ScreeningHit.objects.get().status == "dismissed"


def test_client_form_shows_each_error_next_to_its_field(page, login, producer, screenshot):
    make_client(producer, registration_number="HRB 4711", registration_kind="other")
    login(producer)
    page.goto("/clients/new/")
    page.get_by_label("Legal name (Latin script)").fill("Second Firm GmbH")
    page.get_by_label("Country").select_option("DE")
    page.get_by_role("textbox", name="Registration number").fill("hrb-4711")
    page.get_by_label("Kind of registration number").select_option("other")
    page.get_by_label("Sector", exact=True).select_option("automotive")
    page.get_by_role("button", name="Save client").click()
    assert page.get_by_text("Choose at least one role this client plays.").is_visible()
    page.get_by_label("End user").check()
    page.get_by_role("button", name="Save client").click()
    assert page.get_by_text("already has this registration number").is_visible()
    screenshot("clients-form-errors")
    assert Client.objects.count() == 1


def test_producer_edits_and_archives_a_client(page, login, producer):
    client = make_client(producer)
    login(producer)
    page.goto("/clients/")
    page.get_by_role("link", name=client.legal_name).click()
    page.get_by_label("Website").fill("https://rft.example")
    page.get_by_role("button", name="Save client").click()
    assert page.get_by_text("Rheinland Fahrzeugtechnik GmbH saved.").is_visible()
    page.get_by_role("link", name=client.legal_name).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Archive client").click()
    assert page.get_by_text("Rheinland Fahrzeugtechnik GmbH archived.").is_visible()
    client.refresh_from_db()
    assert client.website == "https://rft.example"
    assert client.archived_at is not None


def test_reviewer_merges_and_splits_entities(
    page, nav, login, producer, other_producer, reviewer, screenshot
):
    a = make_client(producer, legal_name="Kyoto Seiko", country="JP")
    b = make_client(other_producer, legal_name="Kyoto Precision Works", country="JP")
    login(reviewer)
    nav("Entities")
    screenshot("clients-entities")
    page.get_by_role("link", name="Kyoto Precision Works").click()
    page.get_by_label("Merge into entity number").fill(str(a.entity_id))
    page.get_by_label("Reason").fill("Same corporate number 1234")
    page.get_by_role("button", name="Merge").click()
    assert page.get_by_text("Merged into Kyoto Seiko.").is_visible()
    assert page.get_by_test_id("entity-record").count() == 2
    screenshot("clients-entity-detail")
    record = page.get_by_test_id("entity-record").filter(has_text="Kyoto Precision Works")
    record.get_by_placeholder("Reason").fill("Merged by mistake")
    record.get_by_role("button", name="Split").click()
    assert page.get_by_text("now has an entity of its own").is_visible()
    b.refresh_from_db()
    assert b.entity_id != a.entity_id


def test_administrator_adds_an_entry_and_imports_a_list(
    page, nav, login, administrator, screenshot
):
    login(administrator)
    nav("Lists")
    page.get_by_role("link", name="Add an entry").click()
    page.get_by_label("List", exact=True).select_option("watch")
    page.get_by_label("Name", exact=True).fill("Harbor Dual-Use Trading FZE")
    page.get_by_label("Country").select_option("AE")
    page.get_by_label("Reason for listing").fill("Refused an end-use check")
    page.get_by_label("Listed on", exact=True).fill("2025-05-01")
    page.get_by_role("button", name="Save entry").click()
    assert page.get_by_text("Harbor Dual-Use Trading FZE added").is_visible()

    page.get_by_role("link", name="Import CSV").click()
    header = "kind,name,aliases,country,identifiers,reason,listed_on,delisted_on\n"
    good = header + "control,Volga Strategic Metals JSC,VSM,RU,,Military end use,2025-04-04,\n"
    bad = good + "control,Bad Row Ltd,,XX,,Reason,2025-04-04,\n"
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Check file").click()
    assert page.get_by_test_id("import-error").count() == 1
    assert "Unknown country code" in page.get_by_test_id("import-error").inner_text()
    screenshot("clients-import-errors")
    assert ListEntry.objects.count() == 1
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.get_by_role("button", name="Check file").click()
    assert page.get_by_test_id("import-ok").is_visible()
    page.get_by_role("button", name="Import 1 entry").click()
    assert page.get_by_text("1 entries imported from good.csv").is_visible()
    screenshot("clients-lists")
    assert ListEntry.objects.count() == 2
