"""Chases: claimed once per (object, kind, threshold), in batches, whatever runs at once."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Organisation
from apps.notifications import chasing
from apps.notifications.models import EmailDelivery, Notification, OutboxMessage, Reminder
from tests.factories import OrganisationFactory, UserFactory

CHASE = "accounts.pending_verification"


def _pending(count: int, *, days_ago: float, start: int = 0) -> None:
    created = timezone.now() - timedelta(days=days_ago)
    Organisation.objects.bulk_create(
        [
            Organisation(
                legal_name=f"Chased Metals {start + n}",
                uscc=f"CHASE{start + n:013d}",
                address="x",
                province="Jiangxi",
                status=Organisation.Status.PENDING,
                created_at=created,
            )
            for n in range(count)
        ]
    )
    # auto_now_add ignores the value given on create: move them back in time explicitly.
    Organisation.objects.filter(legal_name__startswith="Chased Metals").filter(
        created_at__gt=created
    ).update(created_at=created)


@pytest.mark.django_db
def test_a_company_pending_for_three_days_reminds_the_administrators_once(administrator):
    # given
    other_admin = UserFactory(roles=["administrator"], email="second@authority.test")
    company = OrganisationFactory(status="pending")
    Organisation.objects.filter(pk=company.pk).update(created_at=timezone.now() - timedelta(days=3))

    # when
    first = chasing.run_chase(CHASE)
    second = chasing.run_chase(CHASE)

    # then
    assert (first.claimed, first.notifications) == (1, 2)
    assert (second.due, second.claimed) == (0, 0)
    reminder = Reminder.objects.get()
    assert (reminder.threshold, reminder.object_id) == ("2d", str(company.pk))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        administrator.pk,
        other_admin.pk,
    }
    assert "waited 2 days" in Notification.objects.first().title
    assert EmailDelivery.objects.count() == 2


@pytest.mark.django_db
def test_each_threshold_is_chased_once_and_fresh_or_verified_companies_not_at_all(administrator):
    old = OrganisationFactory(status="pending")
    fresh = OrganisationFactory(status="pending")
    verified = OrganisationFactory(status="verified")
    Organisation.objects.filter(pk__in=[old.pk, verified.pk]).update(
        created_at=timezone.now() - timedelta(days=6)
    )

    chasing.run_chase(CHASE)
    chasing.run_chase(CHASE, now=timezone.now() + timedelta(days=1))

    assert sorted(Reminder.objects.values_list("object_id", "threshold")) == [
        (str(old.pk), "2d"),
        (str(old.pk), "5d"),
    ]
    assert not Reminder.objects.filter(object_id=str(fresh.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_over_200_due_items_send_exactly_200_reminders(
    administrator,
):
    # given
    _pending(200, days_ago=3)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(chasing.run_chase(CHASE, batch_size=20))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()

    # when
    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # then
    assert errors == []
    assert sum(r.claimed for r in results) == 200
    assert Reminder.objects.count() == 200
    assert Notification.objects.filter(recipient=administrator).count() == 200
    assert EmailDelivery.objects.count() == 200
    assert OutboxMessage.objects.filter(task_name="notifications.send_email").count() == 200


def _sweep_queries(due: int, not_due: int, start: int) -> int:
    Organisation.objects.all().delete()
    _pending(due, days_ago=3, start=start)
    _pending(not_due, days_ago=0.1, start=start + due)
    with CaptureQueriesContext(connection) as queries:
        result = chasing.run_chase(CHASE, batch_size=50)
    assert result.claimed == due
    return len(queries)


@pytest.mark.django_db
def test_the_query_count_grows_with_the_due_items_not_with_the_table(administrator):
    small = _sweep_queries(due=10, not_due=20, start=0)
    large = _sweep_queries(due=10, not_due=2000, start=10_000)
    more_due = _sweep_queries(due=120, not_due=20, start=20_000)

    assert small == large
    assert more_due > large  # three batches of 50 instead of one


@pytest.mark.django_db
def test_a_failing_chase_does_not_stop_the_others(administrator):
    def broken(ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    chasing.chase("test.broken")(broken)
    try:
        company = OrganisationFactory(status="pending")
        Organisation.objects.filter(pk=company.pk).update(
            created_at=timezone.now() - timedelta(days=3)
        )
        results = {r.name: r for r in chasing.run_all_chases()}
    finally:
        chasing.unregister("test.broken")

    assert results["test.broken"].error == "RuntimeError: boom"
    assert results[CHASE].claimed == 1


def test_a_chase_name_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="already registered"):
        chasing.chase(CHASE)(lambda ctx: [])
