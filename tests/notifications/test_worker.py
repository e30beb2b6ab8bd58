"""A real Celery worker (prefork, acks_late + reject_on_worker_lost) against real Redis."""

import time

import pytest
from django.urls import reverse

from apps.notifications import outbox
from apps.notifications.models import EmailDelivery, OutboxMessage
from apps.notifications.services import notify
from tests.notifications.conftest import broker, wait_for
from tests.notifications.test_outbox import REGISTRATION

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_child_killed_mid_send_sends_the_email_exactly_once_after_recovery(
    test_broker, start_worker, email_log, administrator, django_capture_on_commit_callbacks
):
    # given: a worker whose first e-mail send SIGKILLs its own process
    worker = start_worker(test_broker, kill_once=True)
    # when: the service commits; the outbox relays; the worker child dies in the middle of sending
    from django.db import transaction

    with transaction.atomic():
        notify(recipients=[administrator], kind="test.kill", title="Sent once")
    delivery = EmailDelivery.objects.get()

    # then: the message was redelivered to a fresh child and the e-mail went out once
    wait_for(
        lambda: EmailDelivery.objects.get(pk=delivery.pk).status == "sent",
        timeout=60,
        message="the redelivered task to send the e-mail",
    )
    time.sleep(2)  # a second delivery, if there were one, would land now
    assert email_log() == [{"to": [administrator.email], "subject": "[RareTrack] Sent once"}]
    assert worker.poll() is None
    log = (email_log.path.parent / "worker0.log").read_text()
    assert "SIGKILL" in log or "WorkerLostError" in log


def test_redis_stopped_during_a_submission_the_notification_arrives_once_it_is_back(
    own_redis, start_worker, email_log, administrator, client
):
    with broker(own_redis.url):
        # given: the broker is down
        own_redis.stop()

        # when: a producer registers its company
        started = time.monotonic()
        response = client.post(reverse("accounts:register"), REGISTRATION)
        elapsed = time.monotonic() - started

        # then: the request succeeded quickly and the message waits in the outbox
        assert response.status_code == 302
        assert elapsed < 5
        message = OutboxMessage.objects.get()
        assert message.status == OutboxMessage.Status.PENDING
        assert email_log() == []

        # when: Redis is back, a worker runs, and the periodic relay passes
        own_redis.start()
        start_worker(own_redis.url)
        wait_for(
            lambda: OutboxMessage.objects.filter(available_at__lte=_now()).exists(),
            timeout=15,
            message="the back-off to end",
        )
        assert outbox.outbox_relay().published == 1

        # then: the administrator's e-mail arrives, once
        wait_for(email_log, timeout=60, message="the e-mail to be sent")
        time.sleep(2)
        assert len(email_log()) == 1
        assert email_log()[0]["to"] == [administrator.email]
        assert EmailDelivery.objects.get().status == "sent"


def _now():
    from django.utils import timezone

    return timezone.now()
