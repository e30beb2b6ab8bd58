"""An administrator maintains the catalogue and the calendar in the browser; a reviewer reads."""

from datetime import date

import pytest

from apps.audit.models import AuditEvent
from apps.catalogue.models import CatalogueEntry
from apps.catalogue.services import catalogue_seed
from apps.workcalendar.models import CalendarDay, CalendarYear
from apps.workcalendar.services import calendar_seed_from_library

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(db):
    catalogue_seed()
    calendar_seed_from_library(years=[2026, 2027])


def test_administrator_extends_a_suspension(
    page, nav, login, administrator, reference_data, screenshot
):
    login(administrator)
    nav("Catalogue")
    page.get_by_label("Search").fill("holmium")
    page.get_by_role("button", name="Filter").click()
    screenshot("catalogue-list")
    page.get_by_role("link", name="1C909.a").click()
    page.get_by_role("link", name="Edit").click()
    # a bad HS code is refused with a message and nothing changes
    page.get_by_label("Reference HS codes").fill("28053019")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("An HS code has exactly 10 digits").is_visible()
    screenshot("catalogue-edit-error")
    assert CatalogueEntry.objects.get(control_code="1C909", sub_item="a").hs_codes == []
    # then a valid change
    page.get_by_label("Reference HS codes").fill("2805301910")
    page.get_by_label("Suspended until").fill("2027-11-10")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_test_id("suspended-until").inner_text() == "2027-11-10"
    assert page.get_by_test_id("entry-status").inner_text() == "Suspended"
    screenshot("catalogue-detail")
    entry = CatalogueEntry.objects.get(control_code="1C909", sub_item="a")
    assert entry.suspended_until == date(2027, 11, 10)
    assert AuditEvent.objects.filter(action="catalogue.entry_update").count() == 1


def test_administrator_creates_a_catalogue_entry(page, login, administrator, reference_data):
    login(administrator)
    page.goto("/catalogue/new/")
    page.get_by_label("Control code").fill("1C914")
    page.get_by_label("Sub-item").select_option("b")
    page.get_by_label("Element").fill("holmium")
    page.get_by_label("Symbol").fill("Ho")
    page.get_by_label("Description").fill("Holmium oxide powder")
    page.get_by_label("Oxide").check()
    page.get_by_label("Reference HS codes").fill("2846901993")
    page.get_by_label("Effective from").fill("2027-01-01")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("added to the catalogue").is_visible()
    assert CatalogueEntry.objects.filter(control_code="1C914", sub_item="b").exists()


def test_administrator_enters_the_2027_arrangement(
    page, nav, login, administrator, reference_data, screenshot
):
    login(administrator)
    nav("Calendar")
    screenshot("calendar-years")
    page.get_by_role("link", name="2027").click()
    assert page.get_by_test_id("year-status").inner_text() == "Provisional"
    # a weekday cannot be an adjusted working day
    page.get_by_label("Date").fill("2027-02-17")
    page.get_by_label("Kind").select_option("workday")
    page.get_by_role("button", name="Add day").click()
    assert page.get_by_text("only a Saturday or Sunday").is_visible()
    # a Saturday can
    page.get_by_label("Date").fill("2027-02-20")
    page.get_by_label("Kind").select_option("workday")
    page.get_by_label("Name").fill("Spring Festival make-up day")
    page.get_by_role("button", name="Add day").click()
    assert page.get_by_text("2027-02-20 added.").is_visible()
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).kind == "workday"
    # remove an estimated holiday, then confirm the year
    page.get_by_role("button", name="Remove 2027-09-15").click()
    assert not CalendarDay.objects.filter(date=date(2027, 9, 15)).exists()
    page.get_by_label("The published arrangement is entered (confirmed)").check()
    page.get_by_label("Source").fill("State Council notice, November 2026")
    page.get_by_role("button", name="Save year").click()
    assert page.get_by_test_id("year-status").inner_text() == "Confirmed"
    assert CalendarYear.objects.get(year=2027).confirmed
    screenshot("calendar-2027")


def test_reviewer_reads_the_calendar_without_edit_controls(page, login, reviewer, reference_data):
    login(reviewer)
    page.goto("/calendar/2026/")
    assert page.get_by_text("Adjusted working day").first.is_visible()
    assert page.get_by_role("button", name="Add day").count() == 0
