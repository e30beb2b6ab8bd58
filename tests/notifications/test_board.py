"""The chasing board: what is due, what was sent to whom, what failed; and the beat schedule."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.accounts.models import Organisation
from apps.notifications import chasing
from apps.notifications.beat import MANAGED_MARK, sync_beat_schedule
from apps.notifications.models import EmailDelivery, OutboxMessage
from apps.notifications.tasks import relay_outbox, run_chases, send_email
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_company():
    company = OrganisationFactory(status="pending", legal_name="Yantai Waiting Oxides Ltd.")
    Organisation.objects.filter(pk=company.pk).update(created_at=timezone.now() - timedelta(days=3))
    return company


def test_the_board_shows_what_is_due_before_the_sweep_and_what_was_sent_after(
    client_for, approver, administrator, waiting_company
):
    client = client_for(approver)

    due = client.get(reverse("notifications:board"))
    assert [(name, d.obj.pk) for name, d in due.context["object_list"]] == [
        ("accounts.pending_verification", waiting_company.pk)
    ]

    chasing.run_chase("accounts.pending_verification")

    assert client.get(reverse("notifications:board")).context["object_list"] == []
    sent = client.get(reverse("notifications:board"), {"view": "sent", "q": "Yantai"})
    reminder = sent.context["object_list"][0]
    assert reminder.object_repr == "Yantai Waiting Oxides Ltd."
    assert [n.recipient for n in reminder.notifications.all()] == [administrator]
    assert b"root@authority.test" in sent.content
    nothing = client.get(reverse("notifications:board"), {"view": "sent", "kind": "other.kind"})
    assert nothing.context["page_obj"].paginator.count == 0


def test_the_board_lists_email_and_outbox_failures_and_administrators_requeue_them(
    client_for, auditor, administrator, reviewer
):
    delivery = EmailDelivery.objects.create(
        recipient=reviewer, digest_date=timezone.localdate(), status="failed", last_error="SMTP"
    )
    OutboxMessage.objects.create(task_name="x.y", status="failed", attempts=25, last_error="down")

    emails = client_for(auditor).get(reverse("notifications:board"), {"view": "emails"})
    stuck = client_for(auditor).get(reverse("notifications:board"), {"view": "outbox"})
    assert [d.pk for d in emails.context["object_list"]] == [delivery.pk]
    assert stuck.context["page_obj"].paginator.count == 1
    assert b"Retry failed deliveries" not in emails.content  # auditors change nothing

    response = client_for(administrator).post(reverse("notifications:board_requeue"))

    assert response.status_code == 302
    assert EmailDelivery.objects.get().status == "pending"
    assert not OutboxMessage.objects.filter(status="failed").exists()
    assert OutboxMessage.objects.filter(task_name="notifications.send_email").count() == 1


def test_the_beat_schedule_is_synced_from_settings_once_and_stale_rows_removed(settings):
    PeriodicTask.objects.create(
        name="old.task", task="old.task", description=MANAGED_MARK, interval=_interval()
    )
    hand_made = PeriodicTask.objects.create(name="by.hand", task="x", interval=_interval())

    names = sync_beat_schedule()
    sync_beat_schedule()

    assert set(
        PeriodicTask.objects.filter(description=MANAGED_MARK).values_list("name", flat=True)
    ) == set(names)
    assert "notifications.run_chases" in names
    assert not PeriodicTask.objects.filter(name="old.task").exists()
    assert PeriodicTask.objects.filter(pk=hand_made.pk).exists()
    assert PeriodicTask.objects.get(name="notifications.relay_outbox").interval.every == 30


def _interval():
    from django_celery_beat.models import IntervalSchedule

    return IntervalSchedule.objects.get_or_create(every=1, period="hours")[0]


def test_tasks_have_explicit_names_and_are_redelivered_when_a_worker_dies(settings):
    for task in (relay_outbox, run_chases, send_email):
        assert task.name.startswith("notifications.")
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert options["socket_timeout"] <= 3
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT > 0


def test_the_run_chases_task_sweeps_every_registered_chase(administrator, waiting_company):
    results = run_chases()

    assert {"name": "accounts.pending_verification", "due": 1, "claimed": 1}.items() <= (
        next(r for r in results if r["name"] == "accounts.pending_verification").items()
    )
