"""The outbox publishes after commit, exactly once per row, never for a rolled-back change."""

import subprocess
import sys
import threading
import time

import pytest
from django.db import close_old_connections, transaction
from django.urls import reverse

from apps.core.errors import DomainError
from apps.notifications import outbox
from apps.notifications.models import EmailDelivery, Notification, OutboxMessage
from apps.notifications.services import notify
from tests.factories import valid_uscc
from tests.notifications.conftest import ROOT, broker, queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

REGISTRATION = {
    "legal_name": "Baotou Outbox Metals Co., Ltd.",
    "native_name": "包头测试金属有限公司",
    "uscc": valid_uscc(4242),
    "address": "1 Steel Road, Baotou",
    "province": "Inner Mongolia",
    "admin_email": "boss@outbox.test",
    "admin_full_name": "Wang Li",
    "password": "correct-horse-battery-staple",
    "password_confirm": "correct-horse-battery-staple",
}


def test_a_service_that_rolls_back_publishes_nothing(test_broker, administrator):
    @transaction.atomic
    def failing_service():
        notify(recipients=[administrator], kind="test.rollback", title="Never sent")
        raise DomainError("the business change failed")

    # when
    with pytest.raises(DomainError):
        failing_service()

    # then
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert queued_tasks(test_broker) == []


def test_a_registration_that_commits_publishes_exactly_one_task(test_broker, administrator, client):
    # when: a company registers; the administrator is to be told by e-mail
    response = client.post(reverse("accounts:register"), REGISTRATION)

    # then
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    delivery = EmailDelivery.objects.get(recipient=administrator)
    assert message.status == OutboxMessage.Status.SENT
    assert message.kwargs == {"delivery_id": delivery.pk}
    assert queued_tasks(test_broker) == ["notifications.send_email"]
    assert Notification.objects.get(recipient=administrator).kind == (
        "accounts.organisation_registered"
    )


def test_a_registration_with_errors_publishes_nothing(test_broker, administrator, client):
    response = client.post(reverse("accounts:register"), {**REGISTRATION, "uscc": "bad"})

    assert response.status_code == 200
    assert not OutboxMessage.objects.exists()
    assert queued_tasks(test_broker) == []


def test_two_relays_at_once_publish_every_row_exactly_once(test_broker):
    # given: 300 rows written without the after-commit relay
    with transaction.atomic():
        outbox.outbox_enqueue_many(
            [("notifications.test_noop", {"n": n}) for n in range(300)], relay_on_commit=False
        )
    barrier = threading.Barrier(2)
    results = []

    def relay():
        try:
            barrier.wait(timeout=10)
            results.append(outbox.outbox_relay(batch_size=25))
        finally:
            close_old_connections()

    # when
    threads = [threading.Thread(target=relay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then
    assert sum(r.published for r in results) == 300
    assert OutboxMessage.objects.filter(status="sent").count() == 300
    assert len(queued_tasks(test_broker)) == 300


def test_broker_down_keeps_the_message_with_a_back_off_and_the_request_fast(own_redis, client):
    with broker(own_redis.url):
        own_redis.stop()
        # when
        started = time.monotonic()
        with transaction.atomic():
            outbox.outbox_enqueue("notifications.test_noop", {"n": 1})
        elapsed = time.monotonic() - started

        # then
        message = OutboxMessage.objects.get()
        assert elapsed < 4
        assert message.status == OutboxMessage.Status.PENDING
        assert message.attempts == 1
        assert "Error" in message.last_error
        assert message.available_at > message.created_at

        # and while the broker is remembered as down, requests do not even try
        started = time.monotonic()
        with transaction.atomic():
            outbox.outbox_enqueue("notifications.test_noop", {"n": 2})
        assert time.monotonic() - started < 0.5
        assert OutboxMessage.objects.filter(attempts=0, status="pending").count() == 1


def test_outbox_works_on_sqlite_with_the_filesystem_broker(tmp_path):
    """`make run`: SQLite and a folder as broker. Migrate, notify, relay: a message file appears."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
    }
    script = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.conf import settings; from pathlib import Path\n"
        "folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])\n"
        "folder.mkdir(parents=True, exist_ok=True)\n"
        "before = len(list(folder.iterdir()))\n"
        "from django.db import transaction\n"
        "from apps.notifications.outbox import outbox_enqueue, outbox_relay\n"
        "from apps.notifications.models import OutboxMessage\n"
        "with transaction.atomic():\n"
        "    outbox_enqueue('notifications.relay_outbox', {}, relay_on_commit=False)\n"
        "result = outbox_relay()\n"
        "files = list(folder.iterdir())\n"
        "[f.unlink() for f in files if f.stat().st_mtime and b'outbox-' in f.read_bytes()]\n"
        "print(result.published, OutboxMessage.objects.filter(status='sent').count(),"
        " len(files) - before)\n"
    )
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["1", "1", "1"]
