"""Tamper evidence: changing any one event among 10,000 is reported at exactly that event."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.audit import tasks
from apps.audit.chain import verify_chain
from apps.audit.models import ChainCheckpoint
from tests.audit.helpers import build_chain, tamper

CHAIN_LENGTH = 10_000


@pytest.fixture
def chain_ids(db):
    return build_chain(CHAIN_LENGTH)


def test_an_untouched_chain_verifies_to_its_head(chain_ids):
    result = verify_chain(batch_size=1000)
    assert result.ok
    assert result.events_checked == CHAIN_LENGTH
    assert result.head_id == chain_ids[-1]


@pytest.mark.parametrize(
    ("position", "column", "value"),
    [
        (0, "object_repr", "Someone else"),
        (1, "changes", '{"n": -1}'),
        (4_999, "actor_label", "x@y.test"),
        (7_342, "created_at", "2020-01-01T00:00:00Z"),
        (CHAIN_LENGTH - 1, "ip_address", "198.51.100.1"),
    ],
)
def test_altered_content_is_reported_at_exactly_that_event(chain_ids, position, column, value):
    # given one event among 10,000 altered behind the trigger's back
    target = chain_ids[position]
    statement = f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s"  # noqa: S608
    tamper(statement, [value, target])
    # when the chain is walked
    result = verify_chain(batch_size=1000)
    # then the first broken link is that event, with its stored hash and the recomputed one
    assert not result.ok
    assert result.broken_event_id == target
    assert result.problem == "content"
    assert result.events_checked == position
    assert result.found != result.expected


def test_a_rewritten_hash_is_reported_at_that_event(chain_ids):
    target = chain_ids[5_000]
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, target])
    result = verify_chain()
    assert (result.broken_event_id, result.problem, result.found) == (target, "content", "f" * 64)


def test_a_removed_event_breaks_the_link_of_the_next_one(chain_ids):
    removed, following = chain_ids[3_000], chain_ids[3_001]
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [removed])
    result = verify_chain()
    assert result.broken_event_id == following
    assert result.problem == "link"
    assert result.found != result.expected


def test_verify_command_prints_the_first_broken_link(chain_ids, capsys):
    target = chain_ids[6_001]
    tamper("UPDATE audit_auditevent SET object_id = 'x' WHERE id = %s", [target])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify", "--batch-size", "777")
    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    assert f"broken_event_id={target}" in out
    assert f"Chain broken at event #{target}" in out


def test_verify_command_reports_an_intact_chain(chain_ids, capsys):
    call_command("audit_verify")
    assert f"Chain intact: {CHAIN_LENGTH} events" in capsys.readouterr().out


def test_daily_task_records_the_head_hash_in_a_checkpoint(chain_ids):
    outcome = tasks.verify_chain.apply().get()
    checkpoint = ChainCheckpoint.objects.get(pk=outcome["checkpoint"])
    assert checkpoint.ok
    assert checkpoint.events_checked == CHAIN_LENGTH
    assert checkpoint.head_id == chain_ids[-1]
    assert len(checkpoint.head_hash) == 64
    # the checkpoint is itself an audited write, chained after the head it recorded
    assert verify_chain().ok


def test_daily_task_records_a_broken_chain(chain_ids):
    target = chain_ids[42]
    tamper("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [target])
    tasks.verify_chain.apply()
    checkpoint = ChainCheckpoint.objects.get()
    assert not checkpoint.ok
    assert checkpoint.broken_event_id == target


def test_beat_schedule_runs_the_verification_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit.verify_chain"]
    assert entry["task"] == tasks.verify_chain.name == "audit.verify_chain"
    assert entry["schedule"].hour == {2}


def test_auditor_page_reports_the_broken_event(chain_ids, auditor, client_for):
    target = chain_ids[9_000]
    tamper("UPDATE audit_auditevent SET user_agent = 'forged' WHERE id = %s", [target])
    response = client_for(auditor).get(reverse("audit:verify"), {"run": "1"})
    assert response.status_code == 200
    assert f"Chain broken at event #{target}" in response.content.decode()
    assert not ChainCheckpoint.objects.exists()  # GET never writes
