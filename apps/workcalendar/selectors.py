"""Reads of the calendar data. The calendar is public reference data: any signed-in user's pages
may compute deadlines with it; only the administration pages are restricted (see permissions)."""

import threading

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from apps.workcalendar import permissions
from apps.workcalendar.calendar import WorkCalendar
from apps.workcalendar.models import CalendarDay, CalendarYear

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def _revision_key() -> tuple:
    return tuple(CalendarYear.objects.order_by("year").values_list("year", "revision"))


def work_calendar() -> WorkCalendar:
    """The calendar as a `WorkCalendar` snapshot, loaded once and reused while data is unchanged.

    Costs one small query (the years' revisions) per call, plus one load when any year changed —
    in this process or another one (web, worker). Call it once per request or task and pass the
    snapshot to the arithmetic. Never raises for missing data: with no rows it is weekends-only.
    """
    global _cached
    key = _revision_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    calendar = _load(key)
    with _lock:
        _cached = (key, calendar)
    return calendar


def _load(key: tuple) -> WorkCalendar:
    years = dict(CalendarYear.objects.values_list("year", "confirmed"))
    rows = CalendarDay.objects.values_list("date", "kind")
    return WorkCalendar.build(
        holidays=(d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY),
        workdays=(d for d, kind in rows if kind == CalendarDay.Kind.WORKDAY),
        known_years=years,
        confirmed_years=(year for year, confirmed in years.items() if confirmed),
    )


def forget_cached_calendar() -> None:
    """Drop this process's snapshot (services call it after commit; others notice the revision)."""
    global _cached
    with _lock:
        _cached = None


def calendar_year_list_for(
    user, *, confirmed: str = "", search: str = ""
) -> QuerySet[CalendarYear]:
    if not permissions.can_view_calendar(user):
        return CalendarYear.objects.none()
    qs = CalendarYear.objects.annotate(
        holiday_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
        workday_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY)),
    )
    if confirmed in {"yes", "no"}:
        qs = qs.filter(confirmed=confirmed == "yes")
    if search.isdigit():
        qs = qs.filter(year=int(search))
    return qs


def calendar_year_get_for(user, year: int) -> CalendarYear:
    try:
        return calendar_year_list_for(user).get(year=year)
    except CalendarYear.DoesNotExist:
        raise Http404 from None


def calendar_day_list_for(user, calendar_year: CalendarYear) -> QuerySet[CalendarDay]:
    if not permissions.can_view_calendar(user):
        return CalendarDay.objects.none()
    return calendar_year.days.all()


def calendar_day_get_for(user, pk: int) -> CalendarDay:
    if not permissions.can_view_calendar(user):
        raise Http404
    try:
        return CalendarDay.objects.select_related("calendar_year").get(pk=pk)
    except CalendarDay.DoesNotExist:
        raise Http404 from None
