"""The rescreen task runs for real: called directly, and consumed by a real Celery worker."""

import time

import pytest

from apps.clients import services
from apps.clients.models import ScreeningHit
from apps.clients.tasks import rescreen_after_list_change
from config.celery import app as celery_app
from tests.clients.factories import make_client

ENTRY = {
    "kind": "control",
    "name": "Rheinland Fahrzeugtechnik",
    "country": "DE",
    "reason": "Diversion to a military end user",
    "listed_on": "2025-04-04",
}


@pytest.mark.django_db
def test_list_change_enqueues_rescreen_on_commit_and_task_records_hits(
    producer, other_producer, administrator, django_capture_on_commit_callbacks
):
    mine = make_client(producer)
    theirs = make_client(other_producer, legal_name="Rheinland Fahrzeug-Technik AG")
    unrelated = make_client(producer, legal_name="Hokuriku Denki", country="JP")
    # given a new entry, the rescreen is only enqueued once the transaction commits
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = services.list_entry_create(actor=administrator, data=ENTRY)
    assert len(callbacks) == 1
    assert not ScreeningHit.objects.exists()
    # when the task runs (batches of 2: several batches)
    result = rescreen_after_list_change([entry.pk], batch_size=2)
    # then both producers' records of the firm hit, the unrelated client does not
    assert result == {"screened": 3, "created": 2, "reopened": 0, "lapsed": 0}
    assert set(ScreeningHit.objects.values_list("client_id", flat=True)) == {mine.pk, theirs.pk}
    assert not unrelated.hits.exists()
    # and running it again changes nothing (idempotent)
    again = rescreen_after_list_change([entry.pk], batch_size=2)
    assert again == {"screened": 3, "created": 0, "reopened": 0, "lapsed": 0}
    assert ScreeningHit.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_rescreens_after_a_list_change(
    producer, administrator, django_capture_on_commit_callbacks
):
    from celery.contrib.testing.worker import start_worker

    client = make_client(producer)
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with django_capture_on_commit_callbacks(execute=True):
            services.list_entry_create(actor=administrator, data=ENTRY)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not client.hits.exists():
            time.sleep(0.2)
    hit = client.hits.get()
    assert hit.status == "open"
    client.refresh_from_db()
    assert client.screening_status == "review"
