"""The registries of audit cases: every way to write, found by introspection, must be listed.

Services: each app keeps a `tests/<app>/audit_cases.py` with two dicts,

    CASES = {"organisation_set_status": AuditCase(call=..., setup=...), ...}
    NOT_WRITES = {"invitation_for_token": "a lookup by token; writes nothing"}

keyed by the function name in `apps/<app>/services.py` or a module of the `apps/<app>/services/`
package. `test_service_coverage` finds every public function of every services module and fails
for one that is in neither dict, so a new service cannot land without a test that it writes
exactly one audit event.

The ways in: each app may keep a `tests/<app>/audit_entrypoints.py` with the same pairs for the
admin, the API and the tasks, keyed by what the introspection finds:

    ADMIN_CASES / ADMIN_NOT_WRITES   "accounts.Organisation change", "<label> action <name>",
                                     "<label> view <url name>" (test_admin_coverage)
    API_CASES / API_NOT_WRITES       "api:client-list POST" (test_api_coverage)
    TASK_CASES / TASK_NOT_WRITES     "licensing.expire_licences" (test_task_coverage)
    CHASE_CASES / CHASE_NOT_WRITES   "licensing.rfi_due": each chase run by notifications.run_chases
"""

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Expect:
    """What the one audit event of a call must say."""

    action: str
    obj: Any  # the model instance the event is about; None for a table-wide event (a seed)
    actor: Any = None  # the user; None for a task or an anonymous visitor
    actor_label: str | None = None  # checked when given (tasks: "task <name>")
    changes: tuple[str, ...] = ()  # keys the recorded changes must contain


@dataclass
class AdminCase:
    """A write through the Django admin, posted by the administrator (an MFA-verified session)."""

    post: Callable[[Callable[[str], Any], Any], tuple[str, dict]]  # (fx, state) -> (url, form)
    expect: Callable[[Callable[[str], Any], Any], Expect]  # (fx, state), after the post
    setup: Callable[[Callable[[str], Any]], Any] = field(default=lambda fx: None)


@dataclass
class ApiCase:
    """A write through the API, made as `user` (a fixture name) with its session."""

    user: str
    call: Callable[[Callable[[str], Any], Any], tuple[str, dict]]  # (fx, state) -> (url, body)
    expect: Callable[[Callable[[str], Any], Any, Any], Expect]  # (fx, state, response)
    setup: Callable[[Callable[[str], Any]], Any] = field(default=lambda fx: None)
    multipart: bool = False  # a file upload; otherwise the body is sent as JSON


@dataclass
class TaskCase:
    """A Celery task run for real (`apply`, as a worker runs it), at `at` when given."""

    expect: Callable[[Callable[[str], Any], Any], Expect]  # (fx, state), after the run
    setup: Callable[[Callable[[str], Any]], Any] = field(default=lambda fx: None)
    kwargs: Callable[[Callable[[str], Any], Any], dict] = field(default=lambda fx, state: {})
    at: Any = None  # when to run (chases count working days): a datetime, or (state) -> one
    settings: dict = field(default_factory=dict)


@dataclass
class AuditCase:
    call: Callable[[Callable[[str], Any], Any], Expect]  # (fixture getter, setup state) -> Expect
    setup: Callable[[Callable[[str], Any]], Any] = field(default=lambda fx: None)
    in_request: bool = True  # False for tasks: no address or user agent to record


def service_functions() -> dict[str, Callable]:
    """Every public function of apps/*/services.py and of each module in apps/*/services/.

    A services package re-exports its modules' functions from __init__; a function is counted
    once, under "app.function", in the module that defines it. Private modules (`_common.py`)
    and names starting with "_" are helpers, not services.
    """
    modules = [
        f"apps.{path.parent.name}.services" for path in (ROOT / "apps").glob("*/services.py")
    ]
    for package in (ROOT / "apps").glob("*/services/__init__.py"):
        app = package.parent.parent.name
        modules.append(f"apps.{app}.services")
        modules += [
            f"apps.{app}.services.{path.stem}"
            for path in package.parent.glob("*.py")
            if not path.stem.startswith("_")
        ]
    found = {}
    for module_name in sorted(modules):
        module = importlib.import_module(module_name)
        app = module_name.split(".")[1]
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not name.startswith("_"):
                key = f"{app}.{name}"
                assert found.get(key, func) is func, f"two services named {key}"
                found[key] = func
    return found


def registered() -> tuple[dict[str, AuditCase], dict[str, str]]:
    cases: dict[str, AuditCase] = {}
    not_writes: dict[str, str] = {}
    for path in sorted((ROOT / "tests").glob("*/audit_cases.py")):
        app = path.parent.name
        module = importlib.import_module(f"tests.{app}.audit_cases")
        cases.update({f"{app}.{name}": case for name, case in module.CASES.items()})
        not_writes.update({f"{app}.{name}": why for name, why in module.NOT_WRITES.items()})
    return cases, not_writes


ENTRYPOINT_REGISTRIES = (
    "ADMIN_CASES",
    "ADMIN_NOT_WRITES",
    "API_CASES",
    "API_NOT_WRITES",
    "TASK_CASES",
    "TASK_NOT_WRITES",
    "CHASE_CASES",
    "CHASE_NOT_WRITES",
)


def entrypoints(name: str) -> dict:
    """One registry (e.g. "API_CASES") merged over every tests/<app>/audit_entrypoints.py."""
    assert name in ENTRYPOINT_REGISTRIES, name
    merged: dict = {}
    for path in sorted((ROOT / "tests").glob("*/audit_entrypoints.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.audit_entrypoints")
        for key, value in getattr(module, name, {}).items():
            assert key not in merged, f"{key} is registered twice in {name}"
            merged[key] = value
    return merged


def check_event(event, expect: Expect, origin: dict | None, started) -> None:
    """The one event of a write says who (or which task), what, on what, what changed, when,
    and from where when a request made it (`origin`: ip_address, user_agent, request_id)."""
    from datetime import UTC, datetime, timedelta

    assert event.action == expect.action
    if expect.obj is None:  # an event about a whole table (a seed, a sweep), not one row
        assert (event.object_type, event.object_id) == ("", "")
    else:
        assert event.object_type == expect.obj._meta.label
        assert event.object_id == str(expect.obj.pk)
        assert event.object_repr
    assert started - timedelta(seconds=1) <= event.created_at <= datetime.now(UTC)
    if expect.actor is not None:
        assert event.actor_id == expect.actor.pk
        assert event.actor_label == expect.actor.email
    if expect.actor_label is not None:
        assert event.actor_label == expect.actor_label
    assert set(expect.changes) <= set(event.changes), event.changes
    if origin is not None:
        found = {key: getattr(event, key) for key in origin}
        assert found == origin
    else:
        assert event.ip_address is None
        assert event.user_agent == ""
    assert event.prev_hash != event.hash
