"""Calendar data in the database: seeding, administrators' edits, audit, and the cached snapshot."""

from datetime import date

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.errors import DomainError, PermissionDeniedError
from apps.workcalendar import services
from apps.workcalendar.models import CalendarDay, CalendarYear
from apps.workcalendar.selectors import work_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_data(db):
    services.calendar_seed_from_library(years=range(2025, 2029))
    return CalendarYear.objects.get(year=2027)


def test_seeding_is_idempotent_and_keeps_edits(calendar_data, administrator):
    services.calendar_year_update(
        actor=administrator, calendar_year=calendar_data, confirmed=True, source="x", notes=""
    )
    days_before = CalendarDay.objects.count()
    assert services.calendar_seed_from_library(years=range(2025, 2029)) == []
    assert CalendarDay.objects.count() == days_before
    assert CalendarYear.objects.get(year=2027).confirmed


def test_library_years_come_in_confirmed_and_estimates_provisional(calendar_data):
    assert CalendarYear.objects.get(year=2026).confirmed
    assert not calendar_data.confirmed
    calendar = work_calendar()
    assert calendar.is_working_day(date(2026, 2, 14))
    assert calendar.is_provisional(date(2027, 3, 1))
    assert not calendar.is_provisional(date(2026, 3, 1))


def test_confirming_2027_arrangement_moves_open_deadlines(calendar_data, administrator):
    # given a clock accepted on Thu 4 Feb 2027 with five days, on the library's estimate
    before = work_calendar().review_clock(
        [(date(2027, 2, 4), None)], limit=5, as_of=date(2027, 2, 4)
    )
    assert before.deadline == date(2027, 2, 17)
    assert before.provisional
    # when the administrator enters an arrangement: Thu 11 and Fri 12 Feb off too, Sat 20 worked
    for day in (date(2027, 2, 11), date(2027, 2, 12)):
        services.calendar_day_add(
            actor=administrator, calendar_year=calendar_data, day=day, kind="holiday", name="SF"
        )
    services.calendar_day_add(
        actor=administrator, calendar_year=calendar_data, day=date(2027, 2, 20), kind="workday"
    )
    services.calendar_year_update(
        actor=administrator,
        calendar_year=calendar_data,
        confirmed=True,
        source="State Council notice 2026",
        notes="",
    )
    # then the same clock reads differently: 15, 16, 17, 18, 19 Feb -> Fri 19 Feb, confirmed
    after = work_calendar().review_clock(
        [(date(2027, 2, 4), None)], limit=5, as_of=date(2027, 2, 4)
    )
    assert after.deadline == date(2027, 2, 19)
    assert not after.provisional
    assert work_calendar().is_working_day(date(2027, 2, 20))


def test_calendar_snapshot_is_reused_while_nothing_changes(
    calendar_data, django_assert_num_queries
):
    work_calendar()
    with django_assert_num_queries(1):
        work_calendar()


def test_every_calendar_edit_is_audited(calendar_data, administrator):
    day = services.calendar_day_add(
        actor=administrator,
        calendar_year=calendar_data,
        day=date(2027, 2, 20),
        kind="workday",
        name="Spring Festival make-up day",
    )
    services.calendar_day_remove(actor=administrator, calendar_day=day)
    services.calendar_year_update(
        actor=administrator, calendar_year=calendar_data, confirmed=True, source="s", notes="n"
    )
    actions = list(
        AuditEvent.objects.filter(actor=administrator)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar.day_add", "calendar.day_remove", "calendar.year_update"]
    update = AuditEvent.objects.get(action="calendar.year_update")
    assert update.changes["confirmed"] == [False, True]


def test_saving_a_year_unchanged_records_nothing(calendar_data, administrator):
    kwargs = {"confirmed": False, "source": calendar_data.source, "notes": ""}
    services.calendar_year_update(actor=administrator, calendar_year=calendar_data, **kwargs)
    assert not AuditEvent.objects.filter(action="calendar.year_update").exists()


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        (date(2027, 2, 17), "workday", "weekday"),  # a Wednesday cannot be a working weekend
        (date(2027, 2, 20), "holiday", "weekend day"),  # a Saturday is off already
        (date(2028, 1, 3), "holiday", "not in 2027"),
        (date(2027, 2, 8), "holiday", "already listed"),  # the library's Spring Festival day
    ],
)
def test_bad_day_is_refused_and_changes_nothing(calendar_data, administrator, day, kind, message):
    days_before = CalendarDay.objects.count()
    revision = calendar_data.revision
    with pytest.raises(DomainError, match=message):
        services.calendar_day_add(
            actor=administrator, calendar_year=calendar_data, day=day, kind=kind
        )
    assert CalendarDay.objects.count() == days_before
    assert CalendarYear.objects.get(pk=calendar_data.pk).revision == revision
    assert not AuditEvent.objects.filter(action="calendar.day_add").exists()


def test_officials_cannot_edit_the_calendar(calendar_data, reviewer, auditor):
    for user in (reviewer, auditor):
        with pytest.raises(PermissionDeniedError):
            services.calendar_day_add(
                actor=user, calendar_year=calendar_data, day=date(2027, 2, 20), kind="workday"
            )


def test_administrator_adds_a_year_from_the_library_estimate(calendar_data, administrator):
    row = services.calendar_year_add(actor=administrator, year=2031)
    assert not row.confirmed
    assert row.days.filter(kind="holiday").exists()
    with pytest.raises(DomainError, match="already in the calendar"):
        services.calendar_year_add(actor=administrator, year=2031)
    with pytest.raises(DomainError, match="between"):
        services.calendar_year_add(actor=administrator, year=3000)


def test_year_far_outside_the_data_never_breaks_arithmetic(calendar_data):
    reading = work_calendar().review_clock(
        [(date(2090, 1, 6), None)], limit=45, as_of=date(2090, 3, 1)
    )
    assert reading.provisional
    assert reading.deadline == date(2090, 3, 10)


# -- pages ---------------------------------------------------------------------------------


def test_administrator_adds_a_working_day_through_the_page(
    calendar_data, administrator, client_for
):
    client = client_for(administrator)
    response = client.post(
        reverse("workcalendar:day_add", args=[2027]),
        {"date": "2027-02-20", "kind": "workday", "name": "Make-up day"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).kind == "workday"


def test_bad_day_on_the_page_shows_the_reason_and_saves_nothing(
    calendar_data, administrator, client_for
):
    client = client_for(administrator)
    response = client.post(
        reverse("workcalendar:day_add", args=[2027]), {"date": "2027-02-17", "kind": "workday"}
    )
    assert response.status_code == 200
    assert "only a Saturday or Sunday" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2027, 2, 17)).exists()


def test_administrator_confirms_a_year_through_the_page(calendar_data, administrator, client_for):
    response = client_for(administrator).post(
        reverse("workcalendar:year_detail", args=[2027]),
        {"confirmed": "on", "source": "Notice", "notes": "Entered"},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).confirmed


def test_reviewer_reads_the_year_but_cannot_post(calendar_data, reviewer, client_for):
    client = client_for(reviewer)
    page = client.get(reverse("workcalendar:year_detail", args=[2027]))
    assert page.status_code == 200
    assert "Add day" not in page.content.decode()
    response = client.post(
        reverse("workcalendar:year_detail", args=[2027]), {"confirmed": "on", "source": "x"}
    )
    assert response.status_code == 403
    assert not CalendarYear.objects.get(year=2027).confirmed


def test_year_list_filters_and_sorts(calendar_data, auditor, client_for):
    client = client_for(auditor)
    provisional = client.get(reverse("workcalendar:year_list"), {"confirmed": "no"})
    body = provisional.content.decode()
    assert "2027" in body
    assert ">2026<" not in body
    newest_first = client.get(reverse("workcalendar:year_list"), {"sort": "-year"})
    years = [y.year for y in newest_first.context["object_list"]]
    assert years == sorted(years, reverse=True)
