"""Every Celery task, and every chase the chasing task runs, writes exactly one audit event.

Tasks are found in the Celery app (every task but Celery's own), chases in the chase registry.
Each needs an entry in a tests/<app>/audit_entrypoints.py (TASK_CASES / CHASE_CASES, or the
matching *_NOT_WRITES with the reason), so a new task or chase cannot write unaudited. A case runs
the task as a worker does (`apply`: the task's own action context, signals and all), at the time
it names; the event must name the task (or the user it works for) and carry no request origin.
"""

from contextlib import nullcontext
from datetime import UTC, datetime

import pytest
import time_machine

from apps.audit.models import AuditEvent
from apps.notifications.chasing import chase, registered, unregister
from config.celery import app
from tests.audit.coverage import check_event, entrypoints

CASES = entrypoints("TASK_CASES")
NOT_WRITES = entrypoints("TASK_NOT_WRITES")
CHASES = entrypoints("CHASE_CASES")
CHASES_NOT_WRITING = entrypoints("CHASE_NOT_WRITES")
RUN_CHASES = "notifications.run_chases"


def celery_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_has_an_audit_case():
    tasks = celery_tasks()
    missing = tasks - set(CASES) - set(NOT_WRITES)
    assert not missing, (
        "Add these tasks to tests/<app>/audit_entrypoints.py (TASK_CASES, or TASK_NOT_WRITES "
        f"with the reason they write nothing audited): {sorted(missing)}"
    )
    stale = (set(CASES) | set(NOT_WRITES)) - tasks
    assert not stale, f"These task cases name no task any more: {sorted(stale)}"
    assert all(reason.strip() for reason in NOT_WRITES.values())


def test_every_chase_has_an_audit_case():
    chases = set(registered())
    missing = chases - set(CHASES) - set(CHASES_NOT_WRITING)
    assert not missing, (
        "Add these chases to tests/<app>/audit_entrypoints.py (CHASE_CASES, or "
        f"CHASE_NOT_WRITES with the reason): {sorted(missing)}"
    )
    stale = (set(CHASES) | set(CHASES_NOT_WRITING)) - chases
    assert not stale, f"These chase cases name no chase any more: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_task_writes_exactly_one_audit_event(name, request, settings, db):
    _run(CASES[name], name, {}, request, settings)


@pytest.mark.parametrize("name", sorted(CHASES))
def test_chase_writes_exactly_one_audit_event(name, request, settings, db):
    _run(CHASES[name], RUN_CHASES, {"names": [name]}, request, settings)


def _run(case, task_name: str, kwargs: dict, request, settings) -> None:
    for key, value in case.settings.items():
        setattr(settings, key, value)

    def fx(fixture: str):
        return request.getfixturevalue(fixture)

    state = case.setup(fx)
    app.loader.import_default_modules()
    task = app.tasks[task_name]
    at = case.at(state) if callable(case.at) else case.at
    with time_machine.travel(at, tick=False) if at else nullcontext():
        last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        started = datetime.now(UTC)

        result = task.apply(kwargs={**case.kwargs(fx, state), **kwargs})

        assert result.successful(), result.traceback
        events = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id"))
        expect = case.expect(fx, state)
        assert [e.action for e in events] == [expect.action], f"{task_name}: {len(events)} events"
        check_event(events[0], expect, None, started)
    assert events[0].request_id == result.id  # the task's id, as its log lines carry it


def _probe(ctx=None):
    return iter(())


def test_a_new_task_or_chase_without_a_case_is_found():
    task = app.task(name="coverage.probe", shared=False)(_probe)
    chase("coverage.probe")(_probe)
    try:
        assert "coverage.probe" in celery_tasks() - set(CASES) - set(NOT_WRITES)
        assert "coverage.probe" in set(registered()) - set(CHASES) - set(CHASES_NOT_WRITING)
    finally:
        app.tasks.unregister(task.name)
        unregister("coverage.probe")
