"""Audit cases for apps/workcalendar/services.py (see tests/audit/coverage.py)."""

from datetime import date

from apps.workcalendar import services
from apps.workcalendar.models import CalendarDay, CalendarYear
from tests.audit.coverage import AuditCase, Expect


def _year(fx):
    year, _ = CalendarYear.objects.get_or_create(year=2095)
    return year


def _seed(fx, _):
    CalendarYear.objects.filter(year=2030).delete()
    services.calendar_seed_from_library(actor=fx("administrator"), years=[2030])
    return Expect("calendar.seed", None, actor=fx("administrator"), changes=("years",))


def _year_add(fx, _):
    row = services.calendar_year_add(actor=fx("administrator"), year=2094)
    return Expect("calendar.year_add", row, actor=fx("administrator"), changes=("year", "days"))


def _year_update(fx, year):
    services.calendar_year_update(
        actor=fx("administrator"),
        calendar_year=year,
        confirmed=True,
        source="State Council notice",
        notes="",
    )
    return Expect("calendar.year_update", year, actor=fx("administrator"), changes=("confirmed",))


def _day_add(fx, year):
    services.calendar_day_add(
        actor=fx("administrator"),
        calendar_year=year,
        day=date(2095, 1, 4),
        kind="holiday",
        name="New Year",
    )
    return Expect("calendar.day_add", year, actor=fx("administrator"), changes=("date", "kind"))


def _day_remove(fx, day):
    services.calendar_day_remove(actor=fx("administrator"), calendar_day=day)
    return Expect(
        "calendar.day_remove", day.calendar_year, actor=fx("administrator"), changes=("date",)
    )


CASES = {
    "calendar_seed_from_library": AuditCase(call=_seed),
    "calendar_year_add": AuditCase(call=_year_add),
    "calendar_year_update": AuditCase(setup=_year, call=_year_update),
    "calendar_day_add": AuditCase(setup=_year, call=_day_add),
    "calendar_day_remove": AuditCase(
        setup=lambda fx: CalendarDay.objects.create(
            calendar_year=_year(fx), date=date(2095, 1, 8), kind="workday"
        ),
        call=_day_remove,
    ),
}
NOT_WRITES: dict[str, str] = {}
