"""Chases on licensing data (autodiscovered by apps.notifications): what keeps every case moving.

Each chase computes what is due from the state and history rows on the official working-day
calendar (holidays and adjusted working weekends included) and yields `Due` items; the runner
claims each (object, kind, threshold) once and notifies. Thresholds that belong to a date that can
move (a review deadline after a paused clock, a validity after an amendment) carry that date, so a
moved date is chased afresh and an unchanged one never twice. Every threshold is a setting.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.roles import Role
from apps.licensing import selectors, services
from apps.licensing.models import (
    Application,
    ApplicationTransition,
    InformationRequest,
    Licence,
    OfficialLink,
)
from apps.licensing.workflow import ApplicationStatus as S
from apps.licensing.workflow import LicenceStatus as L
from apps.notifications.chasing import ChaseContext, Due, chase
from apps.notifications.models import Reminder
from apps.workcalendar.calendar import WorkCalendar
from apps.workcalendar.selectors import work_calendar

ONE_DAY = timedelta(days=1)
RUNNING = [S.SUBMITTED, S.UNDER_REVIEW, S.REVIEWED]


# -- time on the official calendar ---------------------------------------------------------------


def local_today(ctx: ChaseContext) -> date:
    return timezone.localtime(ctx.now).date()


def working_hours_back(calendar: WorkCalendar, now: datetime, hours: int) -> datetime:
    """The moment `hours` working hours (office hours of working days) before `now`.

    A case submitted at or before it has waited `hours` working hours: a Friday-evening filing
    before the Spring Festival is not "late" on the holiday Monday, but is on an adjusted working
    Saturday.
    """
    opens, closes = (time(h) for h in settings.LICENSING_OFFICE_HOURS)
    local = timezone.localtime(now)
    remaining = timedelta(hours=hours)
    day, cursor = local.date(), local
    for _day in range(3660):
        if calendar.is_working_day(day):
            start = datetime.combine(day, opens, tzinfo=local.tzinfo)
            end = min(cursor, datetime.combine(day, closes, tzinfo=local.tzinfo))
            if end > start:
                if remaining <= end - start:
                    return end - remaining
                remaining -= end - start
        day -= ONE_DAY
        cursor = datetime.combine(day, time.max, tzinfo=local.tzinfo)
    return cursor


def working_days_back(calendar: WorkCalendar, day: date, n: int) -> date:
    """The working day `n` working days before `day` (working_days_between(result, day) == n)."""
    while n:
        day -= ONE_DAY
        if calendar.is_working_day(day):
            n -= 1
    return day


def daily_run_day(ctx: ChaseContext, calendar: WorkCalendar) -> date | None:
    """Today, when daily reminders are due: a working day, from the configured hour on."""
    local = timezone.localtime(ctx.now)
    if local.hour < settings.LICENSING_DAILY_CHASE_HOUR or not calendar.is_working_day(
        local.date()
    ):
        return None
    return local.date()


def iso(field: str) -> Func:
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=models.CharField())


def unclaimed_keyed(ctx: ChaseContext, qs: models.QuerySet, threshold) -> models.QuerySet:
    """`qs` annotated with a per-row `chase_threshold` (an SQL expression), without the rows
    already claimed at their threshold: like `ctx.unclaimed`, for thresholds that carry a date."""
    claims = Reminder.objects.filter(
        object_type=qs.model._meta.label_lower,
        object_id=Cast(OuterRef("pk"), models.CharField()),
        kind=ctx.name,
        threshold=OuterRef("chase_threshold"),
    )
    return qs.annotate(chase_threshold=threshold).filter(~Exists(claims))


# -- who is told ---------------------------------------------------------------------------------


def _users_with_role(role: Role):
    return get_user_model().objects.filter(groups__name=role.value, is_active=True)


class Officials:
    """Approvers and their declared company links, loaded once per sweep (no query per case)."""

    def __init__(self):
        self._approvers = None
        self._links: dict[int, set[int]] = {}

    def _load(self):
        if self._approvers is None:
            self._approvers = list(_users_with_role(Role.APPROVER).order_by("pk"))
            for official_id, org_id in OfficialLink.objects.values_list(
                "official_id", "organisation_id"
            ):
                self._links.setdefault(official_id, set()).add(org_id)

    def approvers_for_company(self, organisation_id: int) -> list:
        """Approvers not linked to the company."""
        self._load()
        return [u for u in self._approvers if organisation_id not in self._links.get(u.pk, ())]

    def approvers_for(self, app: Application) -> list:
        """Approvers who may act on the case: not linked to the company, not its reviewer."""
        return [
            u
            for u in self.approvers_for_company(app.organisation_id)
            if u.pk not in (app.assigned_reviewer_id, app.reviewed_by_id)
        ]


def company_users(organisation_id: int) -> list:
    return list(
        get_user_model().objects.filter(membership__organisation_id=organisation_id, is_active=True)
    )


def case_link(app_id: int) -> str:
    return reverse("review:case_detail", args=[app_id])


# -- cases nobody took ---------------------------------------------------------------------------


def _assign_least_loaded(application_id: int) -> None:
    app = Application.objects.get(pk=application_id)
    reviewer = selectors.reviewer_least_loaded_for(app)
    if reviewer is None:
        raise DomainError("No reviewer may take this case.")
    services.application_assign(actor=None, application=app, reviewer=reviewer)


@chase("licensing.untaken")
def untaken(ctx: ChaseContext) -> Iterator[Due]:
    """Cases waiting in the queue for LICENSING_UNTAKEN_AFTER_WORKING_HOURS working hours: assign
    to the least-loaded reviewer not linked to the company, or alert the supervisors (setting;
    also when no reviewer may take the case)."""
    calendar = work_calendar()
    hours = settings.LICENSING_UNTAKEN_AFTER_WORKING_HOURS
    waited_since = working_hours_back(calendar, ctx.now, hours)
    waiting = Application.objects.filter(
        status=S.SUBMITTED, assigned_reviewer__isnull=True, submitted_at__lte=waited_since
    ).order_by("submitted_at", "pk")
    officials = Officials()
    params = {"hours": hours}
    if settings.LICENSING_UNTAKEN_ACTION == "assign":
        for app in ctx.unclaimed(waiting, threshold="assigned").iterator(ctx.batch_size):
            if selectors.reviewer_least_loaded_for(app) is not None:
                yield Due(
                    obj=app,
                    threshold="assigned",
                    recipients=[],  # the reviewer hears it from application_assign
                    title=_("%(ref)s: nobody took it in %(hours)d working hours; assigned"),
                    params={"ref": app.reference, **params},
                    link=case_link(app.pk),
                    action=partial(_assign_least_loaded, app.pk),
                )
    for app in ctx.unclaimed(waiting, threshold="alert").iterator(ctx.batch_size):
        if (
            settings.LICENSING_UNTAKEN_ACTION == "assign"
            and selectors.reviewer_least_loaded_for(app) is not None
        ):
            continue
        yield Due(
            obj=app,
            threshold="alert",
            recipients=officials.approvers_for(app),
            title=_("%(ref)s has waited %(hours)d working hours for a reviewer"),
            body=_("Assign it to a reviewer who is not linked to the company."),
            params={"ref": app.reference, **params},
            link=case_link(app.pk),
        )


# -- review deadlines ----------------------------------------------------------------------------


@chase("licensing.review_deadline")
def review_deadline(ctx: ChaseContext) -> Iterator[Due]:
    """Remind the assigned reviewer at 10, 5 and 1 working days left (LICENSING_REVIEW_REMIND_
    DAYS_LEFT), once per deadline; only the nearest threshold is sent when a sweep was missed."""
    calendar = work_calendar()
    today = local_today(ctx)
    marks = sorted(settings.LICENSING_REVIEW_REMIND_DAYS_LEFT, reverse=True)
    for n, below in zip(marks, [*marks[1:], None], strict=True):
        latest = calendar.add_working_days(today, n)
        window = Q(review_deadline__lte=latest)
        window &= (
            Q(review_deadline__gte=today)
            if below is None
            else Q(review_deadline__gt=calendar.add_working_days(today, below))
        )
        qs = Application.objects.filter(
            window, status=S.UNDER_REVIEW, assigned_reviewer__isnull=False
        ).order_by("review_deadline", "pk")
        threshold = Concat(Value(f"{n}d:"), iso("review_deadline"))
        for app in unclaimed_keyed(ctx, qs, threshold).select_related("assigned_reviewer"):
            yield Due(
                obj=app,
                threshold=app.chase_threshold,
                recipients=[app.assigned_reviewer],
                title=_("%(ref)s: %(left)d working days left (deadline %(deadline)s)"),
                params={
                    "ref": app.reference,
                    "left": calendar.working_days_between(today, app.review_deadline),
                    "deadline": app.review_deadline.isoformat(),
                },
                link=case_link(app.pk),
            )


@chase("licensing.review_overdue")
def review_overdue(ctx: ChaseContext) -> Iterator[Due]:
    """A case past its review deadline: escalate to the approvers who may act on it, once."""
    today = local_today(ctx)
    officials = Officials()
    qs = Application.objects.filter(status__in=RUNNING, review_deadline__lt=today).order_by(
        "review_deadline", "pk"
    )
    for app in ctx.unclaimed(qs, threshold="overdue").iterator(ctx.batch_size):
        yield Due(
            obj=app,
            threshold="overdue",
            recipients=officials.approvers_for(app),
            title=_("%(ref)s is overdue: its review deadline was %(deadline)s"),
            body=_("The case is on the overdue list of the review queue."),
            params={"ref": app.reference, "deadline": app.review_deadline.isoformat()},
            link=case_link(app.pk),
        )


# -- reviewed cases waiting for a decision -------------------------------------------------------


def _reviewed_on():
    return Subquery(
        ApplicationTransition.objects.filter(application=OuterRef("pk"), to_status=S.REVIEWED)
        .order_by("-created_at", "-id")
        .values("occurred_on")[:1]
    )


@chase("licensing.decision_waiting")
def decision_waiting(ctx: ChaseContext) -> Iterator[Due]:
    """Reviewed cases waiting for a decision: remind the approvers every working day."""
    calendar = work_calendar()
    today = daily_run_day(ctx, calendar)
    if today is None:
        return
    officials = Officials()
    qs = (
        Application.objects.filter(status=S.REVIEWED)
        .annotate(reviewed_on=_reviewed_on())
        .filter(reviewed_on__lt=today)
        .order_by("reviewed_on", "pk")
    )
    for app in ctx.unclaimed(qs, threshold=today.isoformat()).iterator(ctx.batch_size):
        yield Due(
            obj=app,
            threshold=today.isoformat(),
            recipients=officials.approvers_for(app),
            title=_("%(ref)s waits for your decision (reviewed %(reviewed)s)"),
            params={"ref": app.reference, "reviewed": app.reviewed_on.isoformat()},
            link=case_link(app.pk),
        )


@chase("licensing.decision_overdue")
def decision_overdue(ctx: ChaseContext) -> Iterator[Due]:
    """A reviewed case undecided for LICENSING_DECISION_ESCALATE_DAYS working days: tell the
    administrators, once per review."""
    calendar = work_calendar()
    today = local_today(ctx)
    days = settings.LICENSING_DECISION_ESCALATE_DAYS
    qs = (
        Application.objects.filter(status=S.REVIEWED)
        .annotate(reviewed_on=_reviewed_on())
        .filter(reviewed_on__lte=working_days_back(calendar, today, days))
        .order_by("reviewed_on", "pk")
    )
    admins = None
    threshold = Concat(Value("escalated:"), iso("reviewed_on"))
    for app in unclaimed_keyed(ctx, qs, threshold).iterator(ctx.batch_size):
        if admins is None:
            admins = list(_users_with_role(Role.ADMINISTRATOR))
        yield Due(
            obj=app,
            threshold=app.chase_threshold,
            recipients=admins,
            title=_("%(ref)s has waited %(days)d working days for a decision"),
            params={"ref": app.reference, "days": days},
            link=case_link(app.pk),
        )


# -- requests for information --------------------------------------------------------------------


def _open_rfis():
    return InformationRequest.objects.filter(
        status=InformationRequest.Status.OPEN, application__status=S.INFORMATION_REQUESTED
    ).select_related("application")


@chase("licensing.rfi_due")
def rfi_due(ctx: ChaseContext) -> Iterator[Due]:
    """Remind the producer LICENSING_RFI_REMIND_DAYS_BEFORE working days before the due date of
    a request for information, and on the day."""
    calendar = work_calendar()
    today = local_today(ctx)
    before = settings.LICENSING_RFI_REMIND_DAYS_BEFORE
    windows = [
        (
            f"{before}d",
            Q(due_on__gt=today, due_on__lte=calendar.add_working_days(today, before)),
            _("%(ref)s: please answer the request for information by %(due)s"),
        ),
        ("due", Q(due_on=today), _("%(ref)s: the answer to the request is due today")),
    ]
    for threshold, window, title in windows:
        qs = _open_rfis().filter(window).order_by("due_on", "pk")
        for rfi in ctx.unclaimed(qs, threshold=threshold).iterator(ctx.batch_size):
            yield Due(
                obj=rfi,
                threshold=threshold,
                recipients=company_users(rfi.application.organisation_id),
                title=title,
                body=_("Without an answer the application may be closed as lapsed."),
                params={"ref": rfi.application.reference, "due": rfi.due_on.isoformat()},
                link=reverse("licensing:rfi_answer", args=[rfi.application_id]),
            )


def _close_lapsed(application_id: int) -> None:
    services.application_close_lapsed(
        actor=None,
        application=Application.objects.get(pk=application_id),
        reason=str(_("The request for information was not answered by its due date.")),
    )


@chase("licensing.rfi_lapsed")
def rfi_lapsed(ctx: ChaseContext) -> Iterator[Due]:
    """A request unanswered after its due date: tell the reviewer they may close the case as
    lapsed, or close it (LICENSING_RFI_AUTO_LAPSE) and tell them it was closed."""
    today = local_today(ctx)
    auto = settings.LICENSING_RFI_AUTO_LAPSE
    threshold = "lapsed" if auto else "lapse_offer"
    qs = _open_rfis().filter(due_on__lt=today).order_by("due_on", "pk")
    for rfi in ctx.unclaimed(qs, threshold=threshold).select_related(
        "application__assigned_reviewer"
    ):
        app = rfi.application
        yield Due(
            obj=rfi,
            threshold=threshold,
            recipients=[app.assigned_reviewer] if app.assigned_reviewer_id else [],
            title=(
                _("%(ref)s was closed as lapsed: no answer by %(due)s")
                if auto
                else _("%(ref)s: no answer by %(due)s; you may close it as lapsed")
            ),
            params={"ref": app.reference, "due": rfi.due_on.isoformat()},
            link=case_link(app.pk),
            action=partial(_close_lapsed, app.pk) if auto else None,
        )


# -- licences ------------------------------------------------------------------------------------


@chase("licensing.licence_expiry")
def licence_expiry(ctx: ChaseContext) -> Iterator[Due]:
    """Warn the holder 30 and 7 days (LICENSING_EXPIRY_WARN_DAYS) before a licence expires."""
    today = local_today(ctx)
    marks = sorted(settings.LICENSING_EXPIRY_WARN_DAYS, reverse=True)
    for n, below in zip(marks, [*marks[1:], None], strict=True):
        window = Q(valid_until__lte=today + timedelta(days=n))
        window &= (
            Q(valid_until__gte=today)
            if below is None
            else Q(valid_until__gt=today + timedelta(days=below))
        )
        qs = Licence.objects.filter(window, status__in=[L.ACTIVE, L.SUSPENDED]).order_by(
            "valid_until", "pk"
        )
        threshold = Concat(Value(f"{n}d:"), iso("valid_until"))
        for licence in unclaimed_keyed(ctx, qs, threshold).iterator(ctx.batch_size):
            yield Due(
                obj=licence,
                threshold=licence.chase_threshold,
                recipients=company_users(licence.organisation_id),
                title=_("Licence %(number)s expires on %(date)s"),
                body=_("Apply for a new licence in time if you still need to export."),
                params={"number": licence.number, "date": licence.valid_until.isoformat()},
                link=reverse("licensing:licence_detail", args=[licence.pk]),
            )


# -- the officials' daily digest -----------------------------------------------------------------


def official_day_counts(today: date, calendar: WorkCalendar) -> dict[int, dict[str, int]]:
    """Per official: cases due soon, overdue, and new since the previous working day.

    Reviewers count their own cases and the new filings; approvers the reviewed cases waiting for
    a decision, every overdue case, and the cases reviewed since the previous working day. A
    fixed number of queries whatever the number of officials or cases.
    """
    soon = calendar.add_working_days(today, settings.LICENSING_DIGEST_DUE_DAYS)
    since = timezone.make_aware(datetime.combine(working_days_back(calendar, today, 1), time.min))
    counts: dict[int, dict[str, int]] = {}

    def add(user_id: int, due: int = 0, overdue: int = 0, new: int = 0) -> None:
        row = counts.setdefault(user_id, {"due": 0, "overdue": 0, "new": 0})
        row["due"] += due
        row["overdue"] += overdue
        row["new"] += new

    per_reviewer = (
        Application.objects.filter(
            status__in=[S.UNDER_REVIEW, S.INFORMATION_REQUESTED], assigned_reviewer__isnull=False
        )
        .values("assigned_reviewer")
        .order_by()
        .annotate(
            due=Count("pk", filter=Q(review_deadline__gte=today, review_deadline__lte=soon)),
            overdue=Count("pk", filter=Q(review_deadline__lt=today)),
        )
    )
    by_reviewer = {row["assigned_reviewer"]: row for row in per_reviewer}
    new_filings = Application.objects.filter(status=S.SUBMITTED, submitted_at__gte=since).count()
    for reviewer_id in _users_with_role(Role.REVIEWER).values_list("pk", flat=True):
        row = by_reviewer.get(reviewer_id, {})
        add(reviewer_id, row.get("due", 0), row.get("overdue", 0), new_filings)
    decisions = (
        Application.objects.filter(status=S.REVIEWED)
        .annotate(reviewed_on=_reviewed_on())
        .aggregate(due=Count("pk"), new=Count("pk", filter=Q(reviewed_on__gte=since.date())))
    )
    overdue = Application.objects.filter(status__in=RUNNING, review_deadline__lt=today).count()
    for approver_id in _users_with_role(Role.APPROVER).values_list("pk", flat=True):
        add(approver_id, decisions["due"], overdue, decisions["new"])
    return {pk: row for pk, row in counts.items() if any(row.values())}


@chase("licensing.official_digest")
def official_digest(ctx: ChaseContext) -> Iterator[Due]:
    """One summary per official per working day of what is due, overdue and new."""
    calendar = work_calendar()
    today = daily_run_day(ctx, calendar)
    if today is None:
        return
    counts = official_day_counts(today, calendar)
    if not counts:
        return
    users = get_user_model().objects.filter(pk__in=list(counts)).order_by("pk")
    for user in ctx.unclaimed(users, threshold=today.isoformat()).iterator(ctx.batch_size):
        yield Due(
            obj=user,
            threshold=today.isoformat(),
            recipients=[user],
            title=_("Your cases today: %(due)d due, %(overdue)d overdue, %(new)d new"),
            body=_("Open the review queue to see them."),
            params=counts[user.pk],
            link=reverse("review:queue"),
        )
