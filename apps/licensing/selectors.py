"""Every read of applications and licences, scoped to the user who asks."""

from datetime import date

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.catalogue import selectors as catalogue_selectors
from apps.core.roles import Role, has_role, is_producer
from apps.licensing.models import (
    OPEN_CASES,
    Application,
    ApplicationLine,
    ApplicationParty,
    InformationRequest,
    Licence,
    OfficialLink,
)
from apps.licensing.workflow import OPEN_APPLICATION_STATES, ApplicationStatus
from apps.workcalendar.calendar import WorkCalendar

AUTHORITY_ROLES = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)


def application_list_for(user) -> QuerySet[Application]:
    """Officials, auditors and administrators see every case; a producer its company's."""
    if has_role(user, *AUTHORITY_ROLES):
        return Application.objects.all()
    if is_producer(user) and user.membership.organisation.is_verified:
        return Application.objects.filter(organisation_id=user.membership.organisation_id)
    return Application.objects.none()


def application_get_for(user, pk: int) -> Application:
    try:
        return (
            application_list_for(user)
            .select_related(
                "organisation", "assigned_reviewer", "reviewed_by", "decided_by", "created_by"
            )
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def application_detail_for(user, pk: int) -> Application:
    """One case with everything its page shows, in a fixed number of queries."""
    app = application_get_for(user, pk)
    lines = ApplicationLine.objects.select_related("catalogue_entry").order_by("position")
    parties = ApplicationParty.objects.select_related("client").order_by("role", "id")
    return (
        Application.objects.filter(pk=app.pk)
        .select_related(
            "organisation", "assigned_reviewer", "reviewed_by", "decided_by", "created_by"
        )
        .prefetch_related(
            Prefetch("lines", queryset=lines),
            Prefetch("parties", queryset=parties),
            "documents",
            "information_requests",
            Prefetch("transitions"),
        )
        .get()
    )


def queue_for(
    user,
    *,
    status: str = "",
    element: str = "",
    destination: str = "",
    sector: str = "",
    fast_track: str = "",
    assignee: str = "",
    deadline_by: date | None = None,
    organisation: str = "",
) -> QuerySet[Application]:
    """The officials' queue: open cases by default, filtered in SQL (no per-row Python)."""
    if not has_role(user, *AUTHORITY_ROLES):
        return Application.objects.none()
    qs = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    qs = qs.filter(status=status) if status else qs.filter(OPEN_CASES)
    if element:
        qs = qs.filter(_names_element(element))
    if destination:
        qs = qs.filter(destination_country=destination.upper())
    if sector:
        qs = qs.filter(end_use_sector=sector)
    if fast_track in ("yes", "no"):
        qs = qs.filter(fast_track=fast_track == "yes")
    if assignee == "me":
        qs = qs.filter(assigned_reviewer=user)
    elif assignee == "none":
        qs = qs.filter(assigned_reviewer__isnull=True)
    elif assignee.isdigit():
        qs = qs.filter(assigned_reviewer_id=int(assignee))
    if deadline_by is not None:
        qs = qs.filter(review_deadline__lte=deadline_by)
    if organisation.isdigit():
        qs = qs.filter(organisation_id=int(organisation))
    linked = OfficialLink.objects.filter(official=user, organisation=OuterRef("organisation"))
    return qs.select_related("organisation", "assigned_reviewer").annotate(
        linked_to_me=Exists(linked)
    )


def _names_element(element: str) -> Q:
    """Applications with a line of this element. On PostgreSQL from the row's own
    `catalogue_entry_ids` (GIN index), with the entry ids as literals so the planner can judge
    how common they are; elsewhere (SQLite cannot look inside JSON lists) through the lines."""
    entry_ids = catalogue_selectors.catalogue_entry_ids_for_element(element)
    if connection.vendor != "postgresql":
        lines = ApplicationLine.objects.filter(catalogue_entry_id__in=entry_ids)
        return Q(pk__in=lines.values("application_id"))
    condition = Q(pk__in=[])
    for entry_id in sorted(entry_ids.values_list("pk", flat=True)):
        condition |= Q(catalogue_entry_ids__contains=[entry_id])
    return condition


def open_rfi_for(application: Application) -> InformationRequest | None:
    return next((r for r in application.information_requests.all() if r.status == "open"), None)


def licence_list_for(user) -> QuerySet[Licence]:
    if has_role(user, *AUTHORITY_ROLES):
        return Licence.objects.all()
    if is_producer(user) and user.membership.organisation.is_verified:
        return Licence.objects.filter(organisation_id=user.membership.organisation_id)
    return Licence.objects.none()


def licence_get_for(user, pk: int) -> Licence:
    try:
        return (
            licence_list_for(user)
            .select_related("organisation", "application", "issued_by")
            .prefetch_related("lines__catalogue_entry", "transitions", "amendments")
            .get(pk=pk)
        )
    except Licence.DoesNotExist:
        raise Http404 from None


def licence_verify(number: str, code: str) -> bool:
    """The public check: valid (active and within validity) or not, nothing else disclosed."""
    from django.utils import timezone

    return Licence.objects.filter(
        number=number.strip().upper(),
        verification_code=code.strip().upper(),
        status="active",
        valid_until__gte=timezone.localdate(),
    ).exists()


def days_left(application: Application, calendar: WorkCalendar, today: date) -> int | None:
    """Working days to the deadline (negative when overdue); None while the clock is stopped."""
    if application.review_deadline is None:
        return None
    return calendar.working_days_between(today, application.review_deadline)


def expected_of_producer(application: Application) -> str:
    """What the producer should do next, in a few words, for their list of applications."""
    return {
        ApplicationStatus.DRAFT: "complete_and_submit",
        ApplicationStatus.INFORMATION_REQUESTED: "answer_request",
    }.get(application.status, "wait")


def reviewers_for_assignment(application: Application):
    from apps.accounts.models import User

    return (
        User.objects.filter(groups__name=Role.REVIEWER.value, is_active=True)
        .exclude(company_links__organisation_id=application.organisation_id)
        .order_by("full_name")
    )


def reviewer_least_loaded_for(application: Application):
    """The active reviewer not linked to the company with the fewest open cases (ties: lowest
    id), or None when nobody may review it. The chase that assigns cases nobody took uses it:
    spreading the work is the point."""
    open_cases = (
        Application.objects.filter(
            assigned_reviewer=OuterRef("pk"), status__in=list(OPEN_APPLICATION_STATES)
        )
        .order_by()
        .values("assigned_reviewer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        reviewers_for_assignment(application)
        .annotate(load=Coalesce(Subquery(open_cases), 0))
        .order_by("load", "pk")
        .first()
    )
