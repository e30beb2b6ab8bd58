"""The `holidays` library as the seed of the calendar data (pure: no database).

`holidays.China` models the State Council's arrangement per year: holidays (including the weekdays
given off in exchange, "Day off (substituted from ...)") and, in `weekend_workdays`, the Saturdays
and Sundays worked in exchange (调休上班). The exchanges come from
`ChinaStaticHolidays.special_public_holidays`, which the maintainers fill in from each year's
official notice; a year missing there is computed from the statutory rules only (no adjusted
working weekends, weekend holidays moved to the next weekday), i.e. an estimate. We mark the first
kind confirmed and the second provisional.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from holidays.countries.china import ChinaStaticHolidays

HOLIDAY = "holiday"
WORKDAY = "workday"


@dataclass(frozen=True)
class YearArrangement:
    year: int
    confirmed: bool
    source: str
    days: dict[date, tuple[str, str]]  # date -> (kind, name)


def library_confirms(year: int) -> bool:
    """Whether the library holds the official notice's exchanges for `year` (else: an estimate)."""
    return year in ChinaStaticHolidays.special_public_holidays


def arrangement_from_library(year: int) -> YearArrangement:
    """The weekday holidays and the worked weekend days of `year`, as the library knows them.

    Weekend holidays are left out: a weekend is off anyway. A worked weekend day may be decided in
    the next year's notice (a late-December make-up day), so the next year is consulted too.
    """
    china = holidays.China(years=[year, year + 1], language="en_US")
    days: dict[date, tuple[str, str]] = {}
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and day in china:
            days[day] = (HOLIDAY, china.get(day))
        day += timedelta(days=1)
    for worked in sorted(china.weekend_workdays):
        if worked.year == year and worked.weekday() >= 5:
            days[worked] = (WORKDAY, "Adjusted working day")
    confirmed = library_confirms(year)
    kind = "State Council notice" if confirmed else "rule-based estimate"
    return YearArrangement(
        year=year,
        confirmed=confirmed,
        source=f"holidays {holidays.__version__} ({kind})",
        days=dict(sorted(days.items())),
    )
