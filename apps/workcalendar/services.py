"""Every write on the calendar: administrators enter a year's arrangement when it is published.

Each write locks the year row, bumps its revision (so every process's cached `WorkCalendar`
reloads), records an audit event, and drops this process's snapshot after commit. Deadlines are
never stored, so the next computation after a change already uses the new arrangement.
"""

import uuid
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.notifications.outbox import outbox_enqueue
from apps.workcalendar import permissions, seed
from apps.workcalendar.models import CalendarDay, CalendarYear
from apps.workcalendar.selectors import forget_cached_calendar

MIN_YEAR, MAX_YEAR = 1950, 2200
# Run by apps.licensing (named, not imported: licensing depends on the calendar, not the reverse).
RECOMPUTE_CLOCKS_TASK = "licensing.recompute_clocks"


def _calendar_changed() -> None:
    """After commit: drop this process's snapshot and move the stored deadlines of open cases.

    The recompute goes through the outbox, so it is queued only if the edit commits and is not
    lost when the broker is down; the task is idempotent, so two edits queue two harmless runs.
    """
    transaction.on_commit(forget_cached_calendar)
    outbox_enqueue(RECOMPUTE_CLOCKS_TASK)


def _require_editor(actor) -> None:
    if not permissions.can_edit_calendar(actor):
        raise PermissionDeniedError(_("Only administrators edit the working-day calendar."))


def _touch(year: CalendarYear) -> None:
    year.revision = uuid.uuid4()
    year.save(update_fields=["revision", "updated_at"])
    _calendar_changed()


@transaction.atomic
def calendar_seed_from_library(*, actor=None, years) -> list[int]:
    """Create the years missing from the table from the `holidays` library; idempotent.

    Existing years are left alone, so an administrator's edits survive re-seeding. Library years
    with an official notice come in confirmed, later years as provisional estimates.
    """
    created = seed.load_years(CalendarYear, CalendarDay, list(years))
    if created:
        audit_record(
            actor=actor,
            action="calendar.seed",
            changes={"years": created},
            actor_label=None if actor else "seed",
        )
        _calendar_changed()
    return created


@transaction.atomic
def calendar_year_add(*, actor, year: int) -> CalendarYear:
    """An administrator adds a year, pre-filled with the library's arrangement or estimate."""
    _require_editor(actor)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            _("Enter a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field_errors={"year": [_("Out of range.")]},
        )
    if CalendarYear.objects.filter(year=year).exists():
        raise DomainError(
            _("%(year)s is already in the calendar.") % {"year": year},
            field_errors={"year": [_("Already in the calendar.")]},
        )
    seed.load_years(CalendarYear, CalendarDay, [year])
    row = CalendarYear.objects.get(year=year)
    audit_record(
        actor=actor,
        action="calendar.year_add",
        obj=row,
        changes={"year": year, "confirmed": row.confirmed, "days": row.days.count()},
    )
    _calendar_changed()
    return row


@transaction.atomic
def calendar_year_update(
    *, actor, calendar_year: CalendarYear, confirmed: bool, source: str, notes: str
) -> CalendarYear:
    """Mark a year confirmed (its arrangement is published and entered) or not; edit its notes."""
    _require_editor(actor)
    locked = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    before = {"confirmed": locked.confirmed, "source": locked.source, "notes": locked.notes}
    after = {"confirmed": confirmed, "source": source.strip(), "notes": notes.strip()}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if not changes:
        return locked
    for field, value in after.items():
        setattr(locked, field, value)
    locked.revision = uuid.uuid4()
    locked.save(update_fields=[*after, "revision", "updated_at"])
    audit_record(actor=actor, action="calendar.year_update", obj=locked, changes=changes)
    _calendar_changed()
    return locked


@transaction.atomic
def calendar_day_add(
    *, actor, calendar_year: CalendarYear, day: date, kind: str, name: str = ""
) -> CalendarDay:
    """Add a holiday (a weekday off) or an adjusted working day (a weekend day worked)."""
    _require_editor(actor)
    locked = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    errors = _day_errors(locked, day, kind)
    if errors:
        raise DomainError(" ".join(errors), field_errors={"date": errors})
    if CalendarDay.objects.filter(date=day).exists():
        raise DomainError(
            _("%(date)s is already listed; remove it first to change it.") % {"date": day},
            field_errors={"date": [_("Already listed.")]},
        )
    created = CalendarDay.objects.create(
        calendar_year=locked, date=day, kind=kind, name=name.strip()[:120]
    )
    _touch(locked)
    audit_record(
        actor=actor,
        action="calendar.day_add",
        obj=locked,
        changes={"date": day.isoformat(), "kind": kind, "name": created.name},
    )
    return created


def _day_errors(calendar_year: CalendarYear, day: date, kind: str) -> list[str]:
    if kind not in CalendarDay.Kind.values:
        return [_("Choose a holiday or an adjusted working day.")]
    if day.year != calendar_year.year:
        return [_("%(date)s is not in %(year)s.") % {"date": day, "year": calendar_year.year}]
    weekend = day.weekday() >= 5
    if kind == CalendarDay.Kind.HOLIDAY and weekend:
        return [_("%(date)s is a weekend day; it is off already.") % {"date": day}]
    if kind == CalendarDay.Kind.WORKDAY and not weekend:
        return [
            _("%(date)s is a weekday; only a Saturday or Sunday can be an adjusted working day.")
            % {"date": day}
        ]
    return []


@transaction.atomic
def calendar_day_remove(*, actor, calendar_day: CalendarDay) -> None:
    """Remove a listed day: it follows the weekend rule again."""
    _require_editor(actor)
    locked_year = CalendarYear.objects.select_for_update().get(pk=calendar_day.calendar_year_id)
    deleted, _details = CalendarDay.objects.filter(pk=calendar_day.pk).delete()
    if not deleted:
        raise ConflictError(_("This day was removed a moment ago."))
    _touch(locked_year)
    audit_record(
        actor=actor,
        action="calendar.day_remove",
        obj=locked_year,
        changes={
            "date": calendar_day.date.isoformat(),
            "kind": calendar_day.kind,
            "name": calendar_day.name,
        },
    )
