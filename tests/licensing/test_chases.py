"""Licensing chases, run for real by the notifications runner on the official calendar.

Spring Festival 2026 (seeded calendar): Sun 15 - Mon 23 Feb off; Sat 14 and Sat 28 Feb are
adjusted working days. Time is travelled with time_machine; the runner is the Celery task
function `notifications.run_chases`, and on_commit callbacks run.
"""

import datetime as dt
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from apps.licensing import services, tasks
from apps.licensing.models import Application, InformationRequest, Licence, OfficialLink
from apps.licensing.workflow import ApplicationStatus as S
from apps.notifications.models import Notification, OutboxMessage, Reminder
from apps.notifications.tasks import run_chases
from apps.workcalendar import services as calendar_services
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.selectors import work_calendar
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def official_calendar(db):
    """The published arrangement (transactional tests elsewhere may have flushed the seed)."""
    calendar_services.calendar_seed_from_library(years=range(2025, 2028))
    assert work_calendar().is_working_day(date(2026, 2, 14))


def at(y, m, d, h=10, minute=0):
    return time_machine.travel(dt.datetime(y, m, d, h, minute, tzinfo=SHANGHAI), tick=False)


def sweep(capture, names):
    with capture(execute=True):
        return {r["name"]: r for r in run_chases(names)}


def titles(user, kind):
    return list(
        Notification.objects.filter(recipient=user, kind=kind)
        .order_by("id")
        .values_list("title", flat=True)
    )


# -- untaken cases ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_case_untaken_8_working_hours_over_spring_festival_goes_to_least_loaded_reviewer(
    make_draft, producer, reviewer, company, django_capture_on_commit_callbacks
):
    # given: a busy reviewer, a reviewer linked to the company, and a free one
    busy = reviewer
    linked = UserFactory(roles=["reviewer"], email="linked@authority.test")
    OfficialLink.objects.create(official=linked, organisation=company, reason="Former employee")
    free = UserFactory(roles=["reviewer"], email="free@authority.test")
    with at(2026, 2, 9):
        services.application_take(
            actor=busy,
            application=services.application_submit(actor=producer, application=make_draft()),
        )
    # submitted on the last working hour before the holiday: Sat 14 Feb (worked) 16:00 + 1 h
    # on Sat, then nothing until Tue 24 Feb 9:00 + 7 h
    with at(2026, 2, 14, 16):
        app = services.application_submit(actor=producer, application=make_draft())

    # when / then: on the holiday Monday it has waited only 1 working hour
    with at(2026, 2, 23, 12):
        assert (
            sweep(django_capture_on_commit_callbacks, ["licensing.untaken"])["licensing.untaken"][
                "claimed"
            ]
            == 0
        )
    with at(2026, 2, 24, 15, 59):
        sweep(django_capture_on_commit_callbacks, ["licensing.untaken"])
    app.refresh_from_db()
    assert app.assigned_reviewer_id is None
    with at(2026, 2, 24, 16):
        sweep(django_capture_on_commit_callbacks, ["licensing.untaken"])
        sweep(django_capture_on_commit_callbacks, ["licensing.untaken"])

    app.refresh_from_db()
    assert (app.status, app.assigned_reviewer_id) == (S.UNDER_REVIEW, free.pk)
    assert app.transitions.filter(action="assign", actor__isnull=True).count() == 1
    assert Reminder.objects.filter(kind="licensing.untaken", threshold="assigned").count() == 1
    assert titles(free, "licensing.application.assign") == [
        f"{app.reference} was assigned to you for review"
    ]
    assert OutboxMessage.objects.filter(task_name="notifications.send_email").exists()


@pytest.mark.django_db
@override_settings(LICENSING_UNTAKEN_ACTION="alert")
def test_an_untaken_case_alerts_the_supervisors_when_configured(
    make_draft, producer, approver, reviewer, django_capture_on_commit_callbacks
):
    with at(2026, 2, 13, 16):  # Friday; Sat 14 is worked: 8 h are reached on Sat 16:00
        app = services.application_submit(actor=producer, application=make_draft())
    with at(2026, 2, 14, 15, 59):
        sweep(django_capture_on_commit_callbacks, ["licensing.untaken"])
    assert not titles(approver, "licensing.untaken")
    with at(2026, 2, 14, 16):
        sweep(django_capture_on_commit_callbacks, ["licensing.untaken"])
        sweep(django_capture_on_commit_callbacks, ["licensing.untaken"])

    app.refresh_from_db()
    assert app.assigned_reviewer_id is None
    assert titles(approver, "licensing.untaken") == [
        f"{app.reference} has waited 8 working hours for a reviewer"
    ]


def test_the_system_may_assign_but_never_reassigns(make_draft, advance, reviewer):
    app = advance(make_draft(), S.UNDER_REVIEW)
    other = UserFactory(roles=["reviewer"], email="other@authority.test")
    from apps.core.errors import ConflictError

    with pytest.raises(ConflictError):
        services.application_assign(actor=None, application=app, reviewer=other)
    app.refresh_from_db()
    assert app.assigned_reviewer_id == reviewer.pk


test_the_system_may_assign_but_never_reassigns = pytest.mark.django_db(
    test_the_system_may_assign_but_never_reassigns
)


# -- review deadlines ------------------------------------------------------------------------


@pytest.mark.django_db
def test_review_deadline_reminders_at_10_5_1_working_days_then_overdue_to_approvers(
    make_draft, producer, reviewer, approver, django_capture_on_commit_callbacks
):
    # given: a fast-track case (10 working days) accepted on Mon 9 Feb 2026: the 10 working
    # days are 10-13 Feb, Sat 14, 24-27 Feb, Sat 28 Feb -> deadline Sat 28 Feb
    with at(2026, 2, 9):
        app = services.application_submit(actor=producer, application=make_draft())
        services.application_take(actor=reviewer, application=app)
        services.application_set_fast_track(
            actor=reviewer, application=app, fast_track=True, reason="Trusted end user"
        )
    app.refresh_from_db()
    assert app.review_deadline == date(2026, 2, 28)
    names = ["licensing.review_deadline", "licensing.review_overdue"]

    def reminders():
        return sorted(Reminder.objects.filter(kind__in=names).values_list("kind", "threshold"))

    with at(2026, 2, 9, 18):  # 10 working days left
        sweep(django_capture_on_commit_callbacks, names)
    with at(2026, 2, 12):  # 6 left: nothing new
        sweep(django_capture_on_commit_callbacks, names)
    assert reminders() == [("licensing.review_deadline", "10d:2026-02-28")]
    with at(2026, 2, 20):  # holiday Friday: 5 left (24, 25, 26, 27, 28)
        sweep(django_capture_on_commit_callbacks, names)
        sweep(django_capture_on_commit_callbacks, names)
    with at(2026, 2, 27):  # 1 left: the adjusted working Saturday
        sweep(django_capture_on_commit_callbacks, names)
    with at(2026, 2, 28):  # deadline day: not overdue yet
        sweep(django_capture_on_commit_callbacks, names)
    assert not titles(approver, "licensing.review_overdue")
    with at(2026, 3, 2):
        sweep(django_capture_on_commit_callbacks, names)
        sweep(django_capture_on_commit_callbacks, names)

    assert reminders() == [
        ("licensing.review_deadline", "10d:2026-02-28"),
        ("licensing.review_deadline", "1d:2026-02-28"),
        ("licensing.review_deadline", "5d:2026-02-28"),
        ("licensing.review_overdue", "overdue"),
    ]
    assert titles(reviewer, "licensing.review_deadline") == [
        f"{app.reference}: 10 working days left (deadline 2026-02-28)",
        f"{app.reference}: 5 working days left (deadline 2026-02-28)",
        f"{app.reference}: 1 working days left (deadline 2026-02-28)",
    ]
    assert titles(approver, "licensing.review_overdue") == [
        f"{app.reference} is overdue: its review deadline was 2026-02-28"
    ]


@pytest.mark.django_db
def test_a_calendar_edit_moves_an_open_deadline_through_the_queued_recompute(
    make_draft, producer, reviewer, administrator, django_capture_on_commit_callbacks
):
    with at(2026, 2, 9):
        app = services.application_submit(actor=producer, application=make_draft())
        services.application_take(actor=reviewer, application=app)
        services.application_set_fast_track(
            actor=reviewer, application=app, fast_track=True, reason="Trusted end user"
        )
    # when: the administrator makes Sat 28 Feb an ordinary weekend day again
    year = CalendarYear.objects.get(year=2026)
    day = year.days.get(date=date(2026, 2, 28))
    queued = OutboxMessage.objects.filter(task_name="licensing.recompute_clocks")
    before = queued.count()
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.calendar_day_remove(actor=administrator, calendar_day=day)

    # then: the recompute is queued through the outbox, and running it moves the deadline
    assert queued.count() == before + 1
    with at(2026, 2, 25):
        assert tasks.recompute_clocks() == 1
        assert tasks.recompute_clocks() == 0
    app.refresh_from_db()
    assert app.review_deadline == date(2026, 3, 2)
    assert not work_calendar().is_working_day(date(2026, 2, 28))


# -- decisions -------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(LICENSING_DECISION_ESCALATE_DAYS=3, LICENSING_DAILY_CHASE_HOUR=8)
def test_reviewed_cases_remind_approvers_each_working_day_and_escalate_to_administrators(
    make_draft, producer, reviewer, approver, administrator, django_capture_on_commit_callbacks
):
    with at(2026, 2, 13):
        app = services.application_submit(actor=producer, application=make_draft())
        services.application_take(actor=reviewer, application=app)
        services.application_recommend(
            actor=reviewer, application=app, recommendation="approve", reasons="Complete."
        )
    names = ["licensing.decision_waiting", "licensing.decision_overdue"]
    for day, hour in [
        ((2026, 2, 13), 18),  # the day of the review: nothing
        ((2026, 2, 14), 7),  # before the hour
        ((2026, 2, 14), 9),  # adjusted working Saturday: reminder 1
        ((2026, 2, 14), 12),  # same day again: nothing
        ((2026, 2, 16), 9),  # holiday: nothing
        ((2026, 2, 24), 9),  # reminder 2
        ((2026, 2, 25), 9),  # reminder 3; 3 working days after 13 Feb (14, 24, 25): escalate
        ((2026, 2, 25), 10),
    ]:
        with at(*day, hour):
            sweep(django_capture_on_commit_callbacks, names)

    assert sorted(
        Reminder.objects.filter(kind="licensing.decision_waiting").values_list(
            "threshold", flat=True
        )
    ) == ["2026-02-14", "2026-02-24", "2026-02-25"]
    assert len(titles(approver, "licensing.decision_waiting")) == 3
    assert titles(reviewer, "licensing.decision_waiting") == []
    assert titles(administrator, "licensing.decision_overdue") == [
        f"{app.reference} has waited 3 working days for a decision"
    ]


# -- requests for information ----------------------------------------------------------------


def _rfi_case(make_draft, producer, reviewer):
    with at(2026, 2, 2):
        app = services.application_submit(actor=producer, application=make_draft())
        services.application_take(actor=reviewer, application=app)
        rfi = services.rfi_raise(actor=reviewer, application=app, question="Send the EUC.")
    return app, rfi


@pytest.mark.django_db
@override_settings(LICENSING_RFI_DAYS=10)
def test_rfi_reminds_the_producer_5_working_days_before_and_on_the_due_date(
    make_draft, producer, reviewer, django_capture_on_commit_callbacks
):
    # raised Mon 2 Feb, 10 working days: 3-6, 9-13 Feb, Sat 14 -> due Sat 14 Feb
    app, rfi = _rfi_case(make_draft, producer, reviewer)
    assert rfi.due_on == date(2026, 2, 14)
    names = ["licensing.rfi_due", "licensing.rfi_lapsed"]
    with at(2026, 2, 6):  # 6 working days before
        sweep(django_capture_on_commit_callbacks, names)
    assert not titles(producer, "licensing.rfi_due")
    with at(2026, 2, 9):  # 5 before (10, 11, 12, 13, 14)
        sweep(django_capture_on_commit_callbacks, names)
        sweep(django_capture_on_commit_callbacks, names)
    with at(2026, 2, 14):
        sweep(django_capture_on_commit_callbacks, names)

    assert titles(producer, "licensing.rfi_due") == [
        f"{app.reference}: please answer the request for information by 2026-02-14",
        f"{app.reference}: the answer to the request is due today",
    ]
    assert not titles(reviewer, "licensing.rfi_lapsed")


@pytest.mark.django_db
@override_settings(LICENSING_RFI_DAYS=10, LICENSING_RFI_AUTO_LAPSE=False)
def test_after_the_due_date_the_reviewer_is_offered_to_close_as_lapsed(
    make_draft, producer, reviewer, django_capture_on_commit_callbacks
):
    app, _rfi = _rfi_case(make_draft, producer, reviewer)
    with at(2026, 2, 15):
        sweep(django_capture_on_commit_callbacks, ["licensing.rfi_lapsed"])
        sweep(django_capture_on_commit_callbacks, ["licensing.rfi_lapsed"])

    app.refresh_from_db()
    assert app.status == S.INFORMATION_REQUESTED
    assert titles(reviewer, "licensing.rfi_lapsed") == [
        f"{app.reference}: no answer by 2026-02-14; you may close it as lapsed"
    ]


@pytest.mark.django_db
@override_settings(LICENSING_RFI_DAYS=10, LICENSING_RFI_AUTO_LAPSE=True)
def test_auto_lapse_closes_the_case_once_and_tells_reviewer_and_producer(
    make_draft, producer, reviewer, django_capture_on_commit_callbacks
):
    app, rfi = _rfi_case(make_draft, producer, reviewer)
    with at(2026, 2, 14, 23):  # the due day itself: not yet
        sweep(django_capture_on_commit_callbacks, ["licensing.rfi_lapsed"])
    app.refresh_from_db()
    assert app.status == S.INFORMATION_REQUESTED
    with at(2026, 2, 15, 9):
        sweep(django_capture_on_commit_callbacks, ["licensing.rfi_lapsed"])
        sweep(django_capture_on_commit_callbacks, ["licensing.rfi_lapsed"])

    app.refresh_from_db()
    rfi.refresh_from_db()
    assert (app.status, rfi.status) == (S.LAPSED, InformationRequest.Status.LAPSED)
    assert app.transitions.filter(action="close_lapsed", actor_label="system").count() == 1
    assert len(titles(reviewer, "licensing.rfi_lapsed")) == 1
    assert titles(producer, "licensing.application.close_lapsed") == [
        f"{app.reference} was closed: the request for information went unanswered"
    ]


# -- licences --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_holders_are_warned_30_and_7_days_before_expiry_and_the_licence_expires(
    make_draft, advance, producer, django_capture_on_commit_callbacks
):
    with at(2026, 1, 5):
        app = advance(make_draft(), S.APPROVED)
    licence = Licence.objects.get(application=app)
    Licence.objects.filter(pk=licence.pk).update(valid_until=date(2026, 3, 31))
    name = ["licensing.licence_expiry"]
    for day in [(2026, 2, 28), (2026, 3, 1), (2026, 3, 2), (2026, 3, 24), (2026, 3, 25)]:
        with at(*day):
            sweep(django_capture_on_commit_callbacks, name)

    assert titles(producer, "licensing.licence_expiry") == [
        f"Licence {licence.number} expires on 2026-03-31",
        f"Licence {licence.number} expires on 2026-03-31",
    ]
    assert sorted(Reminder.objects.values_list("threshold", flat=True)) == [
        "30d:2026-03-31",
        "7d:2026-03-31",
    ]
    with at(2026, 3, 31, 23), django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_licences() == 0
    with at(2026, 4, 1, 0, 5), django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_licences() == 1
        assert tasks.expire_licences() == 0
    licence.refresh_from_db()
    assert licence.status == "expired"
    assert titles(producer, "licensing.licence.expire") == [
        f"Licence {licence.number} is now Expired"
    ]


def test_the_expiry_task_is_in_the_one_beat_schedule():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["licensing.expire_licences"]["task"] == (
        "licensing.expire_licences"
    )
    assert tasks.expire_licences.name == "licensing.expire_licences"
    assert tasks.recompute_clocks.name == "licensing.recompute_clocks"


# -- notifications of state changes ----------------------------------------------------------


@pytest.mark.django_db
def test_state_changes_reach_producers_and_officials_with_their_own_links(
    make_draft, advance, producer, reviewer, approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = advance(make_draft(), S.REVIEWED)
    producer_note = Notification.objects.get(recipient=producer, kind="licensing.application.take")
    approver_note = Notification.objects.get(
        recipient=approver, kind="licensing.application.recommend"
    )
    assert producer_note.link == f"/licensing/applications/{app.pk}/"
    assert approver_note.link == f"/review/cases/{app.pk}/"
    assert approver_note.title == f"{app.reference} is reviewed and waits for a decision"
    assert not Notification.objects.filter(
        recipient=reviewer, kind__startswith="licensing.application"
    )


# -- the officials' digest -------------------------------------------------------------------


@pytest.mark.django_db
def test_each_official_gets_one_digest_per_working_day(
    make_draft, producer, reviewer, approver, django_capture_on_commit_callbacks
):
    with at(2026, 2, 12):
        taken = services.application_submit(actor=producer, application=make_draft())
        services.application_take(actor=reviewer, application=taken)
        Application.objects.filter(pk=taken.pk).update(review_deadline=date(2026, 2, 24))
    with at(2026, 2, 13, 15):
        services.application_submit(actor=producer, application=make_draft())
    name = ["licensing.official_digest"]
    with at(2026, 2, 16, 9):  # holiday: no digest
        sweep(django_capture_on_commit_callbacks, name)
    with at(2026, 2, 14, 9):
        sweep(django_capture_on_commit_callbacks, name)
        sweep(django_capture_on_commit_callbacks, name)

    assert titles(reviewer, "licensing.official_digest") == [
        "Your cases today: 1 due, 0 overdue, 1 new"
    ]
    assert titles(approver, "licensing.official_digest") == []
    with at(2026, 2, 25, 9):
        sweep(django_capture_on_commit_callbacks, name)
    assert titles(reviewer, "licensing.official_digest")[-1] == (
        "Your cases today: 0 due, 1 overdue, 0 new"
    )
    assert titles(approver, "licensing.official_digest") == [
        "Your cases today: 0 due, 1 overdue, 0 new"
    ]


@pytest.mark.django_db
def test_the_system_assign_audit_case_writes_one_event_labelled_system(request):
    from apps.audit.models import AuditEvent
    from tests.licensing.audit_cases_chasing import CASES

    case = CASES["application_assign"]
    state = case.setup(request.getfixturevalue)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    expect = case.call(request.getfixturevalue, state)
    events = list(AuditEvent.objects.filter(id__gt=last))
    assert [(e.action, e.actor_label, e.object_id) for e in events] == [
        (expect.action, "system", str(state.pk))
    ]
    assert set(expect.changes) <= set(events[0].changes)
