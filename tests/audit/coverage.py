"""The registry of audit cases: every service function of every app must be listed here.

Each app keeps a `tests/<app>/audit_cases.py` with two dicts:

    CASES = {"organisation_set_status": AuditCase(call=..., setup=...), ...}
    NOT_WRITES = {"invitation_for_token": "a lookup by token; writes nothing"}

keyed by the function name in `apps/<app>/services.py` or a module of the `apps/<app>/services/`
package. `test_service_coverage` finds every
public function of every services module by introspection and fails for one that is in neither
dict, so a new service cannot land without a test that it writes exactly one audit event.
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
