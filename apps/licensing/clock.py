"""The review clock of an application, computed from its transition history and the calendar.

The clock runs from acceptance (submission that passed the completeness check) while the case is
in the authority's hands, and stops while a request for information is open. Nothing is counted
by a cron job: `clock_periods` rebuilds the running spans from the history rows, and
`reading_for` asks the working-day calendar. The row keeps a derived copy (running since, days
used in closed spans, deadline) so the queue can filter and sort in SQL; it is rewritten at each
transition and whenever the calendar changes (`applications_recompute_clocks`).
"""

from datetime import date

from django.conf import settings
from django.utils import timezone

from apps.licensing.workflow import ApplicationStatus as S
from apps.workcalendar.calendar import ClockPeriod, ClockReading, WorkCalendar
from apps.workcalendar.selectors import work_calendar

RUNNING_STATES = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.REVIEWED})


def review_limit(application) -> int:
    """Working days allowed: per licence type, shorter on the fast track (settings)."""
    if application.fast_track:
        return settings.LICENSING_FAST_TRACK_DAYS
    return settings.LICENSING_REVIEW_DAYS.get(application.licence_type, 45)


def clock_periods(transitions) -> list[ClockPeriod]:
    """Running spans from history rows (oldest first): start on entering a running state, end on
    leaving it; the last span stays open while the case is still running."""
    periods: list[ClockPeriod] = []
    start: date | None = None
    for t in transitions:
        running_before = t.from_status in RUNNING_STATES
        running_after = t.to_status in RUNNING_STATES
        if not running_before and running_after:
            start = t.occurred_on
        elif running_before and not running_after and start is not None:
            periods.append(ClockPeriod(start, t.occurred_on))
            start = None
    if start is not None:
        periods.append(ClockPeriod(start, None))
    return periods


def today() -> date:
    return timezone.localdate()


def reading_for(
    application,
    *,
    calendar: WorkCalendar | None = None,
    as_of: date | None = None,
    transitions=None,
) -> ClockReading | None:
    """The clock of one case (None for a draft: no clock yet)."""
    if application.accepted_on is None:
        return None
    rows = transitions if transitions is not None else application.transitions.all()
    calendar = calendar or work_calendar()
    return calendar.review_clock(
        clock_periods(rows), limit=review_limit(application), as_of=as_of or today()
    )


def derived_fields(application, transitions, calendar: WorkCalendar | None = None) -> dict:
    """The clock columns stored on the row, from the full history."""
    calendar = calendar or work_calendar()
    periods = clock_periods(transitions)
    if not periods:
        return {
            "clock_used_days": 0,
            "clock_running_since": None,
            "review_deadline": None,
            "deadline_provisional": False,
        }
    closed = [p for p in periods if p.end is not None]
    used = sum(calendar.working_days_between(p.start, p.end) for p in closed)
    running_since = periods[-1].start if periods[-1].end is None else None
    limit = review_limit(application)
    deadline = None
    provisional = False
    if running_since is not None:
        deadline = calendar.add_working_days(running_since, max(limit - used, 0))
        provisional = calendar.is_provisional_between(periods[0].start, deadline)
    return {
        "clock_used_days": used,
        "clock_running_since": running_since,
        "review_deadline": deadline,
        "deadline_provisional": provisional,
    }


def days_used(application, calendar: WorkCalendar, as_of: date) -> int:
    """From the stored columns: cheap enough for every row of a queue page."""
    used = application.clock_used_days
    if application.clock_running_since is not None and as_of > application.clock_running_since:
        used += calendar.working_days_between(application.clock_running_since, as_of)
    return used
