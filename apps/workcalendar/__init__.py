"""The working-day calendar (Chinese official calendar) and review-clock arithmetic.

Public API for other apps:

    from apps.workcalendar.selectors import work_calendar      # WorkCalendar snapshot (1 query)
    from apps.workcalendar.calendar import ClockPeriod, ClockReading, WorkCalendar

    cal = work_calendar()
    cal.is_working_day(day) / cal.add_working_days(start, n) / cal.working_days_between(a, b)
    cal.review_clock([ClockPeriod(accepted, rfi_raised), ClockPeriod(rfi_answered)],
                     limit=45, as_of=today) -> ClockReading(used, left, deadline, overdue,
                                                            provisional, running, ...)

Counting conventions are in `apps.workcalendar.calendar`'s docstring.
"""
