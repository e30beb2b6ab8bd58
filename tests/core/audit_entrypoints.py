"""Admin writes on the libraries' models (see tests/audit/coverage.py and apps/core/admin.py).

The beat schedule is the one library table an administrator edits: tasks added by hand, their
schedules, and the actions on the task list. Roles and authenticators are read-only there.
"""

from datetime import UTC, datetime

from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from tests.audit.admin_forms import admin_url, form_data
from tests.audit.coverage import AdminCase, Expect

TASK = "audit.verify_chain"  # a registered task; running it by hand is harmless


def _interval(fx=None):
    return IntervalSchedule.objects.create(every=7, period=IntervalSchedule.DAYS)


def _periodic_task(fx, enabled: bool = True):
    return PeriodicTask.objects.create(
        name="Coverage: verify by hand", task=TASK, interval=_interval(), enabled=enabled
    )


def _add(model, **fields):
    return lambda fx, _: (admin_url(model, "add"), form_data(model, fx("superuser"), **fields))


def _change(model, **fields):
    return lambda fx, obj: (
        admin_url(model, "change", obj.pk),
        form_data(model, fx("superuser"), obj, **fields),
    )


def _action(name: str):
    return lambda fx, task: (
        admin_url(PeriodicTask, "changelist"),
        {"action": name, "_selected_action": [str(task.pk)], "index": "0"},
    )


def _task_event(verb: str, *changes: str):
    return lambda fx, task: Expect(f"admin.periodictask.{verb}", task, changes=changes)


ADMIN_CASES = {
    "django_celery_beat.IntervalSchedule add": AdminCase(
        post=_add(IntervalSchedule, every="90", period=IntervalSchedule.MINUTES),
        expect=lambda fx, _: Expect(
            "admin.intervalschedule.add",
            IntervalSchedule.objects.get(every=90),
            changes=("every", "period"),
        ),
    ),
    "django_celery_beat.IntervalSchedule change": AdminCase(
        setup=_interval,
        post=_change(IntervalSchedule, every="14"),
        expect=lambda fx, obj: Expect("admin.intervalschedule.change", obj, changes=("every",)),
    ),
    "django_celery_beat.CrontabSchedule add": AdminCase(
        post=_add(CrontabSchedule, minute="45", hour="5"),
        expect=lambda fx, _: Expect(
            "admin.crontabschedule.add",
            CrontabSchedule.objects.get(minute="45", hour="5"),
            changes=("minute", "hour"),
        ),
    ),
    "django_celery_beat.CrontabSchedule change": AdminCase(
        setup=lambda fx: CrontabSchedule.objects.create(minute="0", hour="3"),
        post=_change(CrontabSchedule, hour="4"),
        expect=lambda fx, obj: Expect("admin.crontabschedule.change", obj, changes=("hour",)),
    ),
    "django_celery_beat.SolarSchedule add": AdminCase(
        post=_add(SolarSchedule, event="sunrise", latitude="25.83", longitude="114.93"),
        expect=lambda fx, _: Expect(
            "admin.solarschedule.add",
            SolarSchedule.objects.get(event="sunrise"),
            changes=("event", "latitude"),
        ),
    ),
    "django_celery_beat.SolarSchedule change": AdminCase(
        setup=lambda fx: SolarSchedule.objects.create(
            event="sunset", latitude="25.83", longitude="114.93"
        ),
        post=_change(SolarSchedule, event="dusk_civil"),
        expect=lambda fx, obj: Expect("admin.solarschedule.change", obj, changes=("event",)),
    ),
    "django_celery_beat.ClockedSchedule add": AdminCase(
        post=_add(ClockedSchedule, clocked_time_0="2099-01-02", clocked_time_1="03:04:05"),
        expect=lambda fx, _: Expect(
            "admin.clockedschedule.add",
            ClockedSchedule.objects.get(),
            changes=("clocked_time",),
        ),
    ),
    "django_celery_beat.ClockedSchedule change": AdminCase(
        setup=lambda fx: ClockedSchedule.objects.create(
            clocked_time=datetime(2099, 1, 1, tzinfo=UTC)
        ),
        post=_change(ClockedSchedule, clocked_time_0="2099-02-02"),
        expect=lambda fx, obj: Expect(
            "admin.clockedschedule.change", obj, changes=("clocked_time",)
        ),
    ),
    "django_celery_beat.PeriodicTask add": AdminCase(
        setup=_interval,
        post=lambda fx, interval: (
            admin_url(PeriodicTask, "add"),
            form_data(
                PeriodicTask,
                fx("superuser"),
                name="Coverage: added by hand",
                regtask=TASK,
                interval=str(interval.pk),
            ),
        ),
        expect=lambda fx, _: Expect(
            "admin.periodictask.add",
            PeriodicTask.objects.get(name="Coverage: added by hand"),
            changes=("name", "task", "interval"),
        ),
    ),
    "django_celery_beat.PeriodicTask change": AdminCase(
        setup=_periodic_task,
        post=_change(PeriodicTask, enabled=False),
        expect=_task_event("change", "enabled"),
    ),
    "django_celery_beat.PeriodicTask action enable_tasks": AdminCase(
        setup=lambda fx: _periodic_task(fx, enabled=False),
        post=_action("enable_tasks"),
        expect=_task_event("enable_tasks", "enabled"),
    ),
    "django_celery_beat.PeriodicTask action disable_tasks": AdminCase(
        setup=_periodic_task,
        post=_action("disable_tasks"),
        expect=_task_event("disable_tasks", "enabled"),
    ),
    "django_celery_beat.PeriodicTask action toggle_tasks": AdminCase(
        setup=_periodic_task,
        post=_action("toggle_tasks"),
        expect=_task_event("toggle_tasks", "enabled"),
    ),
    "django_celery_beat.PeriodicTask action run_tasks": AdminCase(
        setup=_periodic_task,
        post=_action("run_tasks"),
        expect=_task_event("run_tasks"),  # sent to the broker; the row itself does not change
    ),
}
ADMIN_NOT_WRITES: dict[str, str] = {}
