"""Transactions chases, run for real by the notifications runner (on_commit callbacks executed)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from apps.licensing.models import OfficialLink
from apps.notifications.models import Notification, Reminder
from apps.notifications.tasks import run_chases
from apps.transactions import services
from apps.workcalendar import services as calendar_services
from tests.factories import UserFactory
from tests.transactions.conftest import days_ago, report_input

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def official_calendar(db):
    calendar_services.calendar_seed_from_library(years=range(2025, 2028))


def sweep(capture, names):
    with capture(execute=True):
        return run_chases(names)


def titles(user, kind):
    return list(
        Notification.objects.filter(recipient=user, kind=kind)
        .order_by("id")
        .values_list("title", flat=True)
    )


@override_settings(TRANSACTIONS_RETURN_ESCALATE_DAYS=4)
def test_a_missing_monthly_return_reminds_the_producer_then_escalates_on_working_days(
    company, producer, approver, django_capture_on_commit_callbacks
):
    # given: verified in January 2026; January's return is due on Tue 10 Feb
    company.verified_at = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    company.save(update_fields=["verified_at"])
    name = ["transactions.return_missing"]

    def at(day, hour=10):
        return time_machine.travel(dt.datetime(2026, 2, day, hour, tzinfo=SHANGHAI), tick=False)

    with at(10):  # due today: nothing
        sweep(django_capture_on_commit_callbacks, name)
    assert not titles(producer, "transactions.return_missing")
    with at(11):
        sweep(django_capture_on_commit_callbacks, name)
        sweep(django_capture_on_commit_callbacks, name)
    assert titles(producer, "transactions.return_missing") == [
        "The monthly return for 2026-01 was due on 2026-02-10"
    ]
    with at(13):  # 3 working days after the due date (11, 12, 13)
        sweep(django_capture_on_commit_callbacks, name)
    assert not titles(approver, "transactions.return_missing")
    with at(14):  # Sat 14 Feb 2026 is an adjusted working day: the 4th
        sweep(django_capture_on_commit_callbacks, name)
        sweep(django_capture_on_commit_callbacks, name)

    assert titles(approver, "transactions.return_missing") == [
        f"{company.legal_name} has not filed its monthly return for 2026-01"
    ]
    assert sorted(Reminder.objects.values_list("threshold", flat=True)) == [
        "2026-01",
        "2026-01:escalated",
    ]


def test_a_confirmed_return_is_not_chased(company, producer, django_capture_on_commit_callbacks):
    company.verified_at = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    company.save(update_fields=["verified_at"])
    with time_machine.travel(dt.datetime(2026, 2, 5, 10, tzinfo=SHANGHAI), tick=False):
        services.monthly_return_confirm(actor=producer, month=dt.date(2026, 1, 1))
    with time_machine.travel(dt.datetime(2026, 2, 11, 10, tzinfo=SHANGHAI), tick=False):
        sweep(django_capture_on_commit_callbacks, ["transactions.return_missing"])
    assert not Reminder.objects.exists()


def test_a_shipment_reported_late_tells_the_unlinked_approvers_once(
    company, producer, approver, licence, buyer, django_capture_on_commit_callbacks
):
    linked = UserFactory(roles=["approver"], email="linked-approver@authority.test")
    OfficialLink.objects.create(official=linked, organisation=company, reason="Shareholder")
    loaded = licence.issued_on
    # when: 40 days after loading the producer reports it, along with a fresh shipment
    with time_machine.travel(dt.datetime.combine(loaded, dt.time(12)) + dt.timedelta(days=40)):
        late = services.transaction_report(
            actor=producer, data=report_input(licence, buyer, loading_date=loaded)
        )
        services.transaction_report(
            actor=producer,
            data=report_input(licence, buyer, loading_date=days_ago(3), reference="PO-2"),
        )
        sweep(django_capture_on_commit_callbacks, ["transactions.late_shipment"])
        sweep(django_capture_on_commit_callbacks, ["transactions.late_shipment"])

    assert titles(approver, "transactions.late_shipment") == [
        f"{late.number} from {company.legal_name} was reported 40 days after loading"
    ]
    assert not titles(linked, "transactions.late_shipment")
    assert Reminder.objects.get().object_id == str(late.pk)
    note = Notification.objects.get(recipient=approver)
    assert note.link == f"/transactions/{late.pk}/"
