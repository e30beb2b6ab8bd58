"""Working-day arithmetic on the Chinese official calendar: pure functions, no database.

A `WorkCalendar` is a frozen snapshot of the calendar data (loaded once from the database by
`apps.workcalendar.selectors.work_calendar()`); everything here is plain date arithmetic on it, so
it is cheap, deterministic and testable without a database.

Counting conventions (pinned by tests/workcalendar/test_calendar.py):

- A **working day** is Monday to Friday unless it is a listed holiday, plus any Saturday or Sunday
  listed as an adjusted working day (调休上班, the make-up days around long holidays).
- Counting **excludes the start and includes the end**. The day a clock starts (acceptance of an
  application, the day a request for information is answered) is day 0; day 1 is the first working
  day after it. A clock started on a non-working day therefore starts counting on the next working
  day, exactly like one started on the preceding working day.
- `add_working_days(start, n)` is the n-th working day after `start` (`n == 0` gives `start`).
- `working_days_between(a, b)` counts the working days in (a, b]; it inverts `add_working_days`:
  `working_days_between(a, add_working_days(a, n)) == n`.
- A date in a year the calendar holds no data for falls back to weekends-off (never an error) and
  is **provisional**, like every date in a year whose arrangement is not confirmed.

Deadlines are computed, never stored: when an administrator confirms or edits a year, the next
`work_calendar()` snapshot differs and every deadline computed from it moves accordingly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
SATURDAY = 5


def _is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


def _weekdays_in(a: date, b: date) -> int:
    """Monday-Friday dates in (a, b], by arithmetic (a <= b)."""
    days = (b - a).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    weekday = a.weekday()
    for _ in range(rest):
        weekday = (weekday + 1) % 7
        if weekday < SATURDAY:
            count += 1
    return count


@dataclass(frozen=True)
class WorkCalendar:
    """The calendar data as plain sets. Build it with `WorkCalendar.build(...)`.

    `holidays` are the weekdays that are off; `workdays` the weekend days that are worked;
    `known_years` the years the data covers (estimated or confirmed); `confirmed_years` those whose
    arrangement the State Council has published and an administrator (or the library) confirmed.
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    known_years: frozenset[int] = frozenset()
    confirmed_years: frozenset[int] = frozenset()
    _sorted_holidays: tuple[date, ...] = field(default=(), repr=False, compare=False)
    _sorted_workdays: tuple[date, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def build(
        cls,
        *,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        known_years: Iterable[int] = (),
        confirmed_years: Iterable[int] = (),
    ) -> WorkCalendar:
        """A calendar from raw data. Weekend "holidays" and weekday "workdays" are ignored: they
        change nothing (a weekend is off anyway, a weekday is worked anyway)."""
        hol = frozenset(d for d in holidays if not _is_weekend(d))
        work = frozenset(d for d in workdays if _is_weekend(d))
        return cls(
            holidays=hol,
            workdays=work,
            known_years=frozenset(known_years),
            confirmed_years=frozenset(confirmed_years),
            _sorted_holidays=tuple(sorted(hol)),
            _sorted_workdays=tuple(sorted(work)),
        )

    # -- single days -------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if _is_weekend(day):
            return day in self.workdays
        return day not in self.holidays

    def is_known(self, day: date) -> bool:
        """Whether the calendar holds data (estimated or confirmed) for the day's year."""
        return day.year in self.known_years

    def is_provisional(self, day: date) -> bool:
        """True when the day's year is not confirmed (estimated, or outside the data)."""
        return day.year not in self.confirmed_years

    def is_provisional_between(self, a: date, b: date) -> bool:
        """True when any year from a's to b's (either order) is not confirmed."""
        low, high = sorted((a.year, b.year))
        return any(year not in self.confirmed_years for year in range(low, high + 1))

    # -- arithmetic --------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start excluded); `n == 0` returns `start`."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: a excluded, b included. Negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        count = _weekdays_in(a, b)
        count -= self._count_in(self._sorted_holidays, a, b)
        count += self._count_in(self._sorted_workdays, a, b)
        return count

    @staticmethod
    def _count_in(sorted_days: Sequence[date], a: date, b: date) -> int:
        return bisect_right(sorted_days, b) - bisect_right(sorted_days, a)

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def days_off_in(self, a: date, b: date) -> list[date]:
        """Listed weekday holidays in [a, b] (for display)."""
        hol = self._sorted_holidays
        return list(hol[bisect_left(hol, a) : bisect_right(hol, b)])

    # -- the review clock --------------------------------------------------------------------

    def review_clock(
        self,
        periods: Iterable[ClockPeriod | tuple[date, date | None]],
        *,
        limit: int,
        as_of: date,
    ) -> ClockReading:
        """Read a review clock: how many working days it has run, its deadline, and whether late.

        `periods` are the spans during which the clock runs, built by the caller from the status
        history (from acceptance until a request for information is raised, from its answer until
        the next stop, ...); the last one may be open (`end=None`: still running). Each period
        counts the working days in (start, end] — the day a clock (re)starts is day 0 of that
        period, the day it stops still counts — so a stop and a restart on the same day lose or
        gain nothing. Periods must be in order and must not overlap (touching is fine).

        - `used`: working days counted up to `as_of` (days after `as_of` are not counted yet).
        - `deadline`: the date on which the `limit`-th working day is reached, when the clock is
          running or the limit was already reached; None when the clock is stopped with days left
          (a paused clock has no date until it restarts).
        - `left`: `limit - used` (negative once past the limit).
        - `overdue`: more than `limit` days used, or the clock is running and `as_of` is after the
          deadline (e.g. a weekend after a Friday deadline).
        - `provisional`: some counted day or the deadline lies in a year whose arrangement is not
          confirmed (estimated from rules, or outside the data): the date may still move.

        Nothing is stored: call it again after the calendar changes and the deadline moves.
        """
        if limit < 0:
            raise ValueError("limit must not be negative")
        spans = _normalise(periods)
        used = 0
        for period in spans:
            end = as_of if period.end is None else min(period.end, as_of)
            if end > period.start:
                used += self.working_days_between(period.start, end)
        running = bool(spans) and spans[-1].end is None
        deadline = self._deadline(spans, limit)
        if deadline is None and not spans:
            provisional = self.is_provisional(as_of)
        else:
            first = spans[0].start
            last_counted = as_of if running else min(as_of, spans[-1].end or as_of)
            horizon = max(d for d in (deadline, last_counted, first) if d is not None)
            provisional = self.is_provisional_between(first, horizon)
        overdue = used > limit or (running and deadline is not None and as_of > deadline)
        return ClockReading(
            limit=limit,
            used=used,
            left=limit - used,
            running=running,
            deadline=deadline,
            overdue=overdue,
            provisional=provisional,
            as_of=as_of,
        )

    def _deadline(self, spans: Sequence[ClockPeriod], limit: int) -> date | None:
        remaining = limit
        for period in spans:
            if period.end is None:
                return self.add_working_days(period.start, remaining)
            capacity = self.working_days_between(period.start, period.end)
            if remaining <= capacity:
                return self.add_working_days(period.start, remaining)
            remaining -= capacity
        return None


@dataclass(frozen=True)
class ClockPeriod:
    """A span during which a review clock runs: counts working days in (start, end]."""

    start: date
    end: date | None = None


@dataclass(frozen=True)
class ClockReading:
    """The state of a review clock on `as_of`; see `WorkCalendar.review_clock`."""

    limit: int
    used: int
    left: int
    running: bool
    deadline: date | None
    overdue: bool
    provisional: bool
    as_of: date


def _normalise(periods: Iterable[ClockPeriod | tuple[date, date | None]]) -> list[ClockPeriod]:
    spans = [p if isinstance(p, ClockPeriod) else ClockPeriod(*p) for p in periods]
    for i, period in enumerate(spans):
        if period.end is not None and period.end < period.start:
            raise ValueError(f"clock period {i} ends before it starts")
        if period.end is None and i != len(spans) - 1:
            raise ValueError("only the last clock period may be open")
        if i and spans[i - 1].end is not None and period.start < spans[i - 1].end:
            raise ValueError(f"clock period {i} overlaps the previous one or is out of order")
    return spans


WEEKENDS_ONLY = WorkCalendar.build()
"""A calendar without data: weekends off, every date provisional (the fallback of last resort)."""
