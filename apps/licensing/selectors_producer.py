"""Producers' reads: their applications and licences with what the pages show, built on the scoped
selectors (selectors.application_list_for / licence_list_for), so nothing of another company can
appear. Kept apart from selectors.py so the officials' queue and these lists evolve separately."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.licensing import selectors
from apps.licensing.models import (
    Amendment,
    Application,
    ApplicationLine,
    Document,
    InformationRequest,
    Licence,
    LicenceLine,
)
from apps.licensing.workflow import (
    APPLICATION_TRANSITIONS,
    OPEN_APPLICATION_STATES,
    ApplicationStatus,
    LicenceStatus,
)

# Officials' steps whose reasons are internal to the authority (recommendation reasons, send-back
# notes, assignment): a producer sees that the step happened, never why.
INTERNAL_REASON_ACTIONS = frozenset({"take", "assign", "recommend", "send_back"})


def application_list_for_producer(
    user,
    *,
    search: str = "",
    status: str = "",
    licence_type: str = "",
    destination: str = "",
) -> QuerySet[Application]:
    """The company's applications with the due date of an open request and the licence number."""
    qs = selectors.application_list_for(user)
    if search:
        condition = (
            Q(contract_number__icontains=search)
            | Q(final_destination__icontains=search)
            | Q(end_use__icontains=search)
            | Q(port_of_exit__icontains=search)
        )
        digits = search.upper().removeprefix("APP-").lstrip("0")
        if digits.isdigit():
            condition |= Q(pk=int(digits))
        qs = qs.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if licence_type:
        qs = qs.filter(licence_type=licence_type)
    if destination:
        qs = qs.filter(destination_country=destination.upper())
    open_rfi = InformationRequest.objects.filter(
        application=OuterRef("pk"), status=InformationRequest.Status.OPEN
    )
    licence = Licence.objects.filter(application=OuterRef("pk"))
    line_count = (
        ApplicationLine.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        rfi_due_on=Subquery(open_rfi.values("due_on")[:1]),
        licence_id=Subquery(licence.values("pk")[:1]),
        licence_number=Subquery(licence.values("number")[:1]),
        # A subquery, not Count("lines"): the aggregate would join and group every application
        # of the company before the page is cut; this runs for the rows shown only.
        line_count=Coalesce(Subquery(line_count), 0),
    )


def application_for_producer(user, pk: int) -> Application:
    """One application with its lines, parties, documents, requests and history (producer view)."""
    return selectors.application_detail_for(user, pk)


def producer_history(application: Application) -> list[dict]:
    """The timeline as a producer may see it: officials appear as "the authority", and the
    reasons of internal steps are left out."""
    own_ids = set(application.organisation.memberships.values_list("user_id", flat=True))
    rows = []
    for t in application.transitions.all():
        own = t.actor_id in own_ids
        rows.append(
            {
                "action": t.action,
                "label": _action_label(t.action),
                "to_status": t.to_status,
                "to_status_label": ApplicationStatus(t.to_status).label.lower(),
                "at": t.created_at,
                "actor": t.actor_label if own else None,
                "reason": "" if t.action in INTERNAL_REASON_ACTIONS else t.reason,
            }
        )
    return rows


def _action_label(action: str) -> str:
    transition = APPLICATION_TRANSITIONS.get(action)
    return str(transition.label) if transition else action.replace("_", " ")


def document_get_for(user, pk: int) -> Document:
    """A document of an application the user may see (its company's staff, the authority)."""
    try:
        return Document.objects.select_related("application").get(
            pk=pk, application__in=selectors.application_list_for(user)
        )
    except Document.DoesNotExist:
        raise Http404 from None


def licence_list_for_producer(
    user,
    *,
    search: str = "",
    status: str = "",
    licence_type: str = "",
    destination: str = "",
) -> QuerySet[Licence]:
    qs = selectors.licence_list_for(user)
    if search:
        qs = qs.filter(number__icontains=search.strip())
    if status:
        qs = qs.filter(status=status)
    if licence_type:
        qs = qs.filter(licence_type=licence_type)
    if destination:
        qs = qs.filter(destination_country=destination.upper())
    lines = LicenceLine.objects.select_related("catalogue_entry").order_by("id")
    return qs.annotate(
        amendment_open=Exists(
            Amendment.objects.filter(licence=OuterRef("pk"), status=Amendment.Status.REQUESTED)
        ),
    ).prefetch_related(Prefetch("lines", queryset=lines))


@dataclass(frozen=True)
class ProducerSummary:
    drafts: int
    in_review: int
    answers_owed: int
    nearest_answer_due: date | None
    nearest_answer_application: int | None
    active_licences: int


def producer_summary(user) -> ProducerSummary:
    """The figures of the producer's home page, in three queries."""
    counts = selectors.application_list_for(user).aggregate(
        drafts=Count("pk", filter=Q(status=ApplicationStatus.DRAFT)),
        in_review=Count("pk", filter=Q(status__in=OPEN_APPLICATION_STATES)),
        answers_owed=Count("pk", filter=Q(status=ApplicationStatus.INFORMATION_REQUESTED)),
    )
    nearest = (
        InformationRequest.objects.filter(
            status=InformationRequest.Status.OPEN,
            application__in=selectors.application_list_for(user),
        )
        .order_by("due_on")
        .values("due_on", "application_id")
        .first()
    )
    active = selectors.licence_list_for(user).filter(status=LicenceStatus.ACTIVE).count()
    return ProducerSummary(
        drafts=counts["drafts"],
        in_review=counts["in_review"],
        answers_owed=counts["answers_owed"],
        nearest_answer_due=nearest["due_on"] if nearest else None,
        nearest_answer_application=nearest["application_id"] if nearest else None,
        active_licences=active,
    )
