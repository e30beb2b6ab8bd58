"""Reminders where the database is the schedule: registered chases, claimed before they are sent.

A chase is a function registered with `@chase("app.what")`. Each sweep calls it with a
`ChaseContext`; it yields `Due` items computed from state and history rows (never from a counter
or a broker countdown). The runner claims every item in the `Reminder` table
(INSERT ... ON CONFLICT DO NOTHING on (object, kind, threshold)) and writes the notifications in
the same transaction, batch by batch, with one audit event per item claimed: `reminder.send`, or
the event of the item's action (a case assigned, a case closed as lapsed). A claim that already
exists is skipped, so two sweeps at once, two beats, a retried task or a worker killed mid-sweep
never send a second reminder.

Writing a chase (licensing, transactions ...), in `apps/<app>/chases.py` (autodiscovered):

    @chase("licensing.review_deadline")
    def review_deadline(ctx):
        due = ctx.unclaimed(Application.objects.filter(...due at 10 days...), threshold="10d")
        for app in due.select_related("assignee").iterator(chunk_size=ctx.batch_size):
            yield Due(obj=app, threshold="10d", recipients=[app.assignee],
                      title=_("%(ref)s: 10 working days left"), params={"ref": app.reference},
                      link=app.get_absolute_url())
"""

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.errors import DomainError
from apps.notifications.models import Reminder
from apps.notifications.services import Message, notify_many, object_ref
from apps.notifications.sql import insert_ignore_returning

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder a chase wants sent: `obj` has reached `threshold` (e.g. "5d", "overdue")."""

    obj: models.Model
    threshold: str
    recipients: Sequence
    title: str
    body: str = ""
    link: str = ""
    params: dict = field(default_factory=dict)
    kind: str = ""  # defaults to the chase's name
    # Something the rules do when the item is due (assign a case, close it as lapsed). Run only
    # for an item this sweep claimed, inside the claim's transaction (in a savepoint): done once
    # with its reminder. If it raises, the claim is dropped and the next sweep tries again.
    action: Callable[[], object] | None = None


@dataclass(frozen=True)
class ChaseContext:
    name: str
    now: datetime
    batch_size: int

    def unclaimed(
        self, qs: models.QuerySet, *, threshold: str, kind: str | None = None
    ) -> models.QuerySet:
        """`qs` without the objects already reminded at `threshold`: keeps each sweep's work
        proportional to what is newly due, not to everything ever chased."""
        claims = Reminder.objects.filter(
            object_type=qs.model._meta.label_lower,
            object_id=Cast(OuterRef("pk"), models.CharField()),
            kind=kind or self.name,
            threshold=threshold,
        )
        return qs.filter(~Exists(claims))


@dataclass(frozen=True)
class ChaseDefinition:
    name: str
    func: Callable[[ChaseContext], Iterable[Due]]
    description: str = ""


@dataclass
class ChaseResult:
    name: str
    due: int = 0
    claimed: int = 0
    notifications: int = 0
    error: str = ""


_REGISTRY: dict[str, ChaseDefinition] = {}


def chase(name: str, *, description: str = ""):
    """Register a chase under `name` ("app.what"); `notifications.run_chases` runs it."""

    def register(func: Callable[[ChaseContext], Iterable[Due]]):
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"A chase named {name!r} is already registered.")
        _REGISTRY[name] = ChaseDefinition(
            name=name, func=func, description=description or (func.__doc__ or "").strip()
        )
        return func

    return register


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> dict[str, ChaseDefinition]:
    return dict(_REGISTRY)


def default_batch_size() -> int:
    return getattr(settings, "CHASE_BATCH_SIZE", 500)


def run_chase(
    name: str, *, now: datetime | None = None, batch_size: int | None = None
) -> ChaseResult:
    """Run one registered chase: claim and notify its due items, one transaction per batch."""
    definition = _REGISTRY[name]
    ctx = ChaseContext(
        name=name, now=now or timezone.now(), batch_size=batch_size or default_batch_size()
    )
    result = ChaseResult(name=name)
    items = iter(definition.func(ctx))
    while batch := list(islice(items, ctx.batch_size)):
        result.due += len(batch)
        claimed, notified = _claim_and_notify(ctx, batch)
        result.claimed += claimed
        result.notifications += notified
    return result


def run_all_chases(*, now: datetime | None = None, names: Iterable[str] | None = None) -> list:
    """Every registered chase; one failing chase is logged and does not stop the others."""
    results = []
    for name in sorted(names if names is not None else _REGISTRY):
        try:
            results.append(run_chase(name, now=now))
        except Exception as exc:
            logger.exception("Chase %s failed", name)
            results.append(ChaseResult(name=name, error=f"{exc.__class__.__name__}: {exc}"))
    return results


@transaction.atomic
def _claim_and_notify(ctx: ChaseContext, batch: list[Due]) -> tuple[int, int]:
    now = timezone.now()
    rows = {}
    for due in batch:
        object_type, object_id = object_ref(due.obj)
        key = (object_type, object_id, due.kind or ctx.name, due.threshold)
        rows[key] = (
            {
                "object_type": object_type,
                "object_id": object_id,
                "kind": key[2],
                "threshold": due.threshold,
                "object_repr": str(due.obj)[:300],
                "title": _plain_title(due)[:300],
                "link": due.link,
                "recipient_count": len({getattr(r, "pk", r) for r in due.recipients}),
                "created_at": now,
            },
            due,
        )
    claimed = insert_ignore_returning(
        Reminder,
        [row for row, _due in rows.values()],
        ["id", "object_type", "object_id", "kind", "threshold"],
    )
    messages = []
    failed = 0
    for reminder_id, *key in claimed:
        row, due = rows[tuple(key)]
        if due.action is not None:
            if not _run_action(reminder_id, due):
                failed += 1
                continue
        else:  # an action records its own event (it names the change); a reminder records this
            _audit_reminder(due, row)
        messages.append(
            (
                Message(
                    kind=key[2],
                    title=due.title,
                    body=due.body,
                    link=due.link,
                    params=due.params,
                    object_type=key[0],
                    object_id=key[1],
                    reminder_id=reminder_id,
                ),
                due.recipients,
            )
        )
    return len(claimed) - failed, notify_many(messages, fetch=False) if messages else 0


def _audit_reminder(due: Due, row: dict) -> None:
    audit_record(
        actor=None,
        action="reminder.send",
        obj=due.obj,
        changes={
            "chase": row["kind"],
            "threshold": row["threshold"],
            "title": row["title"],
            "recipients": row["recipient_count"],
        },
    )


def _run_action(reminder_id: int, due: Due) -> bool:
    try:
        with transaction.atomic():
            due.action()
    except DomainError as refused:  # the state moved on (someone acted first): nothing to do
        logger.info("Chase action for %s refused: %s", due.obj, refused)
        Reminder.objects.filter(pk=reminder_id).delete()
        return False
    except Exception:
        logger.exception("Chase action for %s failed; retried next sweep", due.obj)
        Reminder.objects.filter(pk=reminder_id).delete()
        return False
    return True


def _plain_title(due: Due) -> str:
    """The title in the site's default language, for the chasing board."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        title = str(due.title)
        return title % due.params if due.params else title


def preview_due(name: str, *, limit: int = 50, now: datetime | None = None) -> list[Due]:
    """What a chase would send now (read-only, for the chasing board). Claimed items excluded."""
    definition = _REGISTRY[name]
    ctx = ChaseContext(name=name, now=now or timezone.now(), batch_size=limit)
    items: Iterator[Due] = iter(definition.func(ctx))
    found = []
    for due in islice(items, limit * 4):
        object_type, object_id = object_ref(due.obj)
        if not Reminder.objects.filter(
            object_type=object_type,
            object_id=object_id,
            kind=due.kind or name,
            threshold=due.threshold,
        ).exists():
            found.append(due)
        if len(found) >= limit:
            break
    return found
