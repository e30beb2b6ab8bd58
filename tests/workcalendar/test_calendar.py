"""The working-day arithmetic and the review clock, on the library's data (no database).

Expected dates are counted by hand from the State Council's 2026 notice: Spring Festival off
15-23 February 2026 (Sunday to Monday), Saturdays 14 and 28 February worked.
"""

from datetime import date, timedelta

import pytest

from apps.workcalendar.calendar import WEEKENDS_ONLY, ClockPeriod, WorkCalendar
from apps.workcalendar.library import HOLIDAY, WORKDAY, arrangement_from_library

YEARS = range(2024, 2031)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    holidays, workdays, confirmed = [], [], []
    for year in YEARS:
        arrangement = arrangement_from_library(year)
        if arrangement.confirmed:
            confirmed.append(year)
        for day, (kind, _name) in arrangement.days.items():
            (holidays if kind == HOLIDAY else workdays).append(day)
    return WorkCalendar.build(
        holidays=holidays, workdays=workdays, known_years=YEARS, confirmed_years=confirmed
    )


# -- single days and conventions -------------------------------------------------------------


def test_adjusted_working_saturday_is_a_working_day(cal):
    assert cal.is_working_day(date(2026, 2, 14))
    assert cal.is_working_day(date(2026, 2, 28))


def test_spring_festival_weekdays_are_off(cal):
    for day in (16, 17, 18, 19, 20, 23):
        assert not cal.is_working_day(date(2026, 2, day)), day


def test_ordinary_weekend_is_off_and_ordinary_weekday_is_worked(cal):
    assert not cal.is_working_day(date(2026, 3, 7))
    assert cal.is_working_day(date(2026, 3, 9))


def test_adding_zero_working_days_gives_the_start_day(cal):
    assert cal.add_working_days(date(2026, 2, 15), 0) == date(2026, 2, 15)


def test_start_day_is_day_zero(cal):
    assert cal.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)


def test_clock_started_on_a_non_working_day_counts_from_the_next_working_day(cal):
    # Saturday 7 March: day 1 is Monday 9 March, the same as a start on Friday 6 March.
    assert cal.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert cal.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_working_days_across_spring_festival_2026(cal):
    # Fri 13 Feb -> day 1 Sat 14 (worked), then nine days off, day 2 is Tue 24 Feb.
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # 14, 24, 25, 26, 27 and Saturday 28 February.
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_working_days_between_excludes_start_and_includes_end(cal):
    assert cal.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert cal.working_days_between(date(2026, 3, 9), date(2026, 3, 10)) == 1
    assert cal.working_days_between(date(2026, 3, 10), date(2026, 3, 9)) == -1


def test_working_days_between_matches_a_day_by_day_count(cal):
    start = date(2025, 12, 20)
    for span in range(0, 500, 7):
        end = start + timedelta(days=span)
        brute = sum(cal.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))
        assert cal.working_days_between(start, end) == brute, end


def test_add_working_days_inverts_working_days_between(cal):
    for n in (1, 5, 10, 20, 45, 60):
        start = date(2026, 1, 30)
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


def test_negative_day_counts_are_refused(cal):
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(date(2026, 1, 1), -1)


# -- the review clock ------------------------------------------------------------------------


def test_fast_track_deadline_across_spring_festival_2026(cal):
    # Accepted Wed 11 Feb: 12, 13, 14 (Sat worked), 24, 25, 26, 27, 28 (Sat worked), 2 Mar, 3 Mar.
    reading = cal.review_clock([(date(2026, 2, 11), None)], limit=10, as_of=date(2026, 2, 24))
    assert reading.deadline == date(2026, 3, 3)
    assert reading.used == 4
    assert reading.left == 6
    assert reading.running
    assert not reading.overdue
    assert not reading.provisional


def test_statutory_45_day_deadline_spans_the_festival(cal):
    accepted = date(2026, 2, 2)
    reading = cal.review_clock([ClockPeriod(accepted)], limit=45, as_of=accepted)
    assert reading.used == 0
    # Counted by hand: 3-13 Feb (9), Sat 14 (10), 24-27 Feb and Sat 28 (15), March's 22 weekdays
    # (37), 1-3 April (40), Mon 6 April off (Tomb-Sweeping, observed), 7-10 April (44), 13 April.
    assert reading.deadline == date(2026, 4, 13)
    assert cal.working_days_between(accepted, date(2026, 4, 13)) == 45
    assert not cal.is_working_day(date(2026, 4, 6))


def test_open_request_for_information_stops_the_clock(cal):
    # Accepted Mon 5 Jan; RFI raised Fri 9 Jan (6, 7, 8, 9 count); answered Tue 20 Jan.
    periods = [(date(2026, 1, 5), date(2026, 1, 9)), (date(2026, 1, 20), None)]
    reading = cal.review_clock(periods, limit=10, as_of=date(2026, 1, 21))
    assert reading.used == 5  # 4 before the request, Wed 21 Jan after the answer
    assert reading.deadline == date(2026, 1, 28)  # 6 more from 20 Jan: 21-23, 26-28
    assert reading.left == 5


def test_paused_clock_has_days_left_and_no_deadline(cal):
    reading = cal.review_clock(
        [(date(2026, 1, 5), date(2026, 1, 9))], limit=10, as_of=date(2026, 1, 15)
    )
    assert reading.used == 4
    assert reading.left == 6
    assert not reading.running
    assert reading.deadline is None
    assert not reading.overdue


def test_stop_and_restart_on_the_same_day_loses_nothing(cal):
    straight = cal.review_clock([(date(2026, 3, 2), None)], limit=20, as_of=date(2026, 3, 20))
    split = cal.review_clock(
        [(date(2026, 3, 2), date(2026, 3, 10)), (date(2026, 3, 10), None)],
        limit=20,
        as_of=date(2026, 3, 20),
    )
    assert (split.used, split.deadline) == (straight.used, straight.deadline)


def test_clock_is_overdue_the_weekend_after_a_friday_deadline(cal):
    # Accepted Fri 6 Mar, 5 days: 9-13 Mar, deadline Fri 13 Mar; read on Sat 14 Mar.
    reading = cal.review_clock([(date(2026, 3, 6), None)], limit=5, as_of=date(2026, 3, 14))
    assert reading.deadline == date(2026, 3, 13)
    assert reading.used == 5
    assert reading.left == 0
    assert reading.overdue


def test_clock_past_its_limit_is_overdue_with_negative_days_left(cal):
    reading = cal.review_clock([(date(2026, 3, 6), None)], limit=5, as_of=date(2026, 3, 17))
    assert reading.used == 7
    assert reading.left == -2
    assert reading.overdue


def test_paused_clock_past_its_limit_stays_overdue(cal):
    reading = cal.review_clock(
        [(date(2026, 3, 6), date(2026, 3, 17))], limit=5, as_of=date(2026, 3, 30)
    )
    assert reading.deadline == date(2026, 3, 13)
    assert reading.overdue


def test_deadline_in_an_unconfirmed_year_is_provisional(cal):
    # 2027's arrangement is not published in the library: an estimate.
    reading = cal.review_clock([(date(2026, 12, 1), None)], limit=45, as_of=date(2026, 12, 1))
    assert reading.deadline.year == 2027
    assert reading.provisional
    inside = cal.review_clock([(date(2026, 9, 1), None)], limit=20, as_of=date(2026, 9, 1))
    assert inside.deadline.year == 2026
    assert not inside.provisional


def test_spring_festival_2027_estimate_is_counted_and_provisional(cal):
    # The estimate: Fri 5 Feb (eve), Mon 8 - Wed 10 Feb off, no working weekends.
    reading = cal.review_clock([(date(2027, 2, 4), None)], limit=5, as_of=date(2027, 2, 4))
    assert reading.deadline == date(2027, 2, 17)  # 11, 12, 15, 16, 17
    assert reading.provisional


def test_a_date_far_outside_the_data_falls_back_to_weekends_and_is_provisional(cal):
    friday = date(2090, 1, 6)
    assert not cal.is_known(friday)
    assert cal.add_working_days(friday, 1) == date(2090, 1, 9)
    reading = cal.review_clock([(friday, None)], limit=45, as_of=date(2090, 2, 1))
    assert reading.provisional
    assert reading.deadline == friday + timedelta(weeks=9)  # 45 weekdays = 9 weeks


def test_empty_calendar_counts_weekdays_only():
    assert WEEKENDS_ONLY.working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 10
    assert WEEKENDS_ONLY.is_provisional(date(2026, 2, 13))


def test_no_periods_means_a_clock_not_started(cal):
    reading = cal.review_clock([], limit=45, as_of=date(2026, 3, 2))
    assert (reading.used, reading.deadline, reading.running) == (0, None, False)


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([(date(2026, 3, 10), date(2026, 3, 2))], "ends before"),
        ([(date(2026, 3, 2), None), (date(2026, 3, 10), None)], "only the last"),
        ([(date(2026, 3, 2), date(2026, 3, 10)), (date(2026, 3, 5), None)], "overlaps"),
    ],
)
def test_malformed_periods_are_refused(cal, periods, message):
    with pytest.raises(ValueError, match=message):
        cal.review_clock(periods, limit=45, as_of=date(2026, 3, 20))


def test_library_2026_arrangement_is_confirmed_with_its_working_saturdays():
    arrangement = arrangement_from_library(2026)
    assert arrangement.confirmed
    workdays = {d for d, (kind, _n) in arrangement.days.items() if kind == WORKDAY}
    assert {date(2026, 2, 14), date(2026, 2, 28)} <= workdays


def test_library_2027_is_an_estimate_without_working_weekends():
    arrangement = arrangement_from_library(2027)
    assert not arrangement.confirmed
    assert "estimate" in arrangement.source
    assert all(kind == HOLIDAY for kind, _n in arrangement.days.values())
