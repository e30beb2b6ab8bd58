"""Reads for the officials' pages: the queue page, the case page, licences and amendments.

Built on `selectors.py` (which scopes every read to the user); this module only adds what the
officials' screens need to show in a fixed number of queries, whatever the page size.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from apps.catalogue import selectors as catalogue_selectors
from apps.clients.models import ScreeningHit
from apps.core.listing import COUNT_CAP
from apps.core.roles import Role, has_role
from apps.licensing import clock, selectors
from apps.licensing.models import (
    Amendment,
    Application,
    ApplicationLine,
    EndUseSector,
    InternalNote,
    Licence,
    LicenceLine,
)
from apps.licensing.workflow import ApplicationStatus
from apps.workcalendar.calendar import WorkCalendar

QUEUE_SORTS = {
    "deadline": "review_deadline",
    "submitted": "submitted_at",
    "company": "organisation__legal_name",
    "status": "status",
}


# The queue counts its matches up to here ("more than 1,000"), not to the last of 200,000.
QUEUE_COUNT_CAP = COUNT_CAP


def queue_page_rows(qs: QuerySet[Application]) -> QuerySet[Application]:
    """The queue rows with their lines (one prefetch for the whole page: no N+1)."""
    lines = ApplicationLine.objects.select_related("catalogue_entry").order_by("position")
    return qs.prefetch_related(Prefetch("lines", queryset=lines))


@dataclass(frozen=True)
class RowClock:
    used: int | None
    left: int | None
    deadline: date | None
    overdue: bool
    provisional: bool
    paused: bool


def row_clock(app: Application, calendar: WorkCalendar, today: date) -> RowClock:
    """A queue row's clock from the stored columns and one calendar snapshot (no query)."""
    if app.accepted_on is None:
        return RowClock(None, None, None, False, False, False)
    used = clock.days_used(app, calendar, today)
    limit = clock.review_limit(app)
    paused = app.clock_running_since is None and app.status in (
        ApplicationStatus.INFORMATION_REQUESTED,
    )
    left = limit - used
    overdue = left < 0 or (
        app.review_deadline is not None
        and app.clock_running_since is not None
        and today > app.review_deadline
    )
    return RowClock(used, left, app.review_deadline, overdue, app.deadline_provisional, paused)


def queue_rows(apps, calendar: WorkCalendar, today: date) -> list[dict]:
    """What each row of the queue page shows. The labels come from one lookup per page:
    `get_FOO_display` rebuilds the choices at every call, which took half the table's time."""
    statuses = dict(ApplicationStatus.choices)
    sectors = dict(EndUseSector.choices)
    return [
        {
            "app": app,
            "status_label": statuses.get(app.status, app.status),
            "sector_label": sectors.get(app.end_use_sector, app.end_use_sector),
            "clock": row_clock(app, calendar, today),
            "lines": lines_summary(app),
        }
        for app in apps
    ]


def lines_summary(app: Application) -> str:
    """ "Dy metal 100 kg; Tb oxide 2 t" from the prefetched lines."""
    parts = []
    for line in app.lines.all():
        symbol = line.catalogue_entry.symbol if line.catalogue_entry else "?"
        parts.append(f"{symbol} {line.form} {line.quantity.normalize():f} {line.unit}")
    return "; ".join(parts)


def preset_counts(user, today: date, calendar: WorkCalendar) -> dict[str, int]:
    """The official home page's figures, in one aggregate query."""
    qs = selectors.queue_for(user)
    yesterday = today - timedelta(days=1)
    return qs.aggregate(
        mine=Count("pk", filter=Q(assigned_reviewer=user)),
        unassigned=Count("pk", filter=Q(assigned_reviewer__isnull=True)),
        waiting=Count("pk", filter=Q(status=ApplicationStatus.REVIEWED)),
        overdue=Count("pk", filter=Q(review_deadline__lte=yesterday)),
    )


def case_for(user, pk: int) -> Application:
    """One case for the officials' page: everything it shows, prefetched (fixed query count)."""
    if not has_role(user, *selectors.AUTHORITY_ROLES):
        raise Http404
    app = selectors.application_detail_for(user, pk)
    if app.status == ApplicationStatus.DRAFT:
        raise Http404  # a draft is the producer's own business
    return app


def notes_for(app: Application) -> QuerySet[InternalNote]:
    return app.notes.select_related("author").order_by("created_at")


def hits_by_client(app: Application) -> dict[int, list[ScreeningHit]]:
    """Screening hits of the case's parties, grouped by client, in one query."""
    client_ids = {party.client_id for party in app.parties.all()}
    grouped: dict[int, list[ScreeningHit]] = {pk: [] for pk in client_ids}
    hits = ScreeningHit.objects.filter(client_id__in=client_ids).select_related("list_entry")
    for hit in hits.order_by("-score"):
        grouped[hit.client_id].append(hit)
    return grouped


def licence_of(app: Application) -> Licence | None:
    return Licence.objects.filter(application=app).first()


def licence_list_for(
    user,
    *,
    status: str = "",
    organisation: str = "",
    element: str = "",
    expiring_within: int | None = None,
    today: date | None = None,
) -> QuerySet[Licence]:
    qs = selectors.licence_list_for(user).select_related("organisation")
    if status:
        qs = qs.filter(status=status)
    if organisation.isdigit():
        qs = qs.filter(organisation_id=int(organisation))
    if element:
        entry_ids = catalogue_selectors.catalogue_entry_ids_for_element(element)
        qs = qs.filter(
            pk__in=LicenceLine.objects.filter(catalogue_entry_id__in=entry_ids).values("licence_id")
        )
    if expiring_within is not None and today is not None:
        qs = qs.filter(
            status="active",
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=expiring_within),
        )
    return qs.prefetch_related(
        Prefetch("lines", queryset=LicenceLine.objects.select_related("catalogue_entry"))
    )


def amendment_list_for(user, *, status: str = "") -> QuerySet[Amendment]:
    if not has_role(user, *selectors.AUTHORITY_ROLES):
        return Amendment.objects.none()
    qs = Amendment.objects.select_related("licence", "licence__organisation", "requested_by")
    if status:
        qs = qs.filter(status=status)
    return qs


def amendment_get_for(user, pk: int) -> Amendment:
    try:
        return amendment_list_for(user).get(pk=pk)
    except Amendment.DoesNotExist:
        raise Http404 from None


def reviewer_choices() -> list[tuple[int, str]]:
    """Active reviewers for the queue's assignee filter."""
    from apps.accounts.models import User

    return list(
        User.objects.filter(groups__name=Role.REVIEWER.value, is_active=True)
        .order_by("full_name", "email")
        .values_list("pk", "full_name")
    )


def deadline_by(days_left: str, calendar: WorkCalendar, today: date) -> date | None:
    """The "days left" filter as a deadline bound: "overdue" is before today, "5" is within
    five working days from today (computed once per request on the calendar snapshot)."""
    if days_left == "overdue":
        return today - timedelta(days=1)
    if days_left.isdigit():
        return calendar.add_working_days(today, int(days_left))
    return None
