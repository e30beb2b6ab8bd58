"""Every read of transaction data, scoped to the user who asks (404 for what they may not see).

Company scope is a foreign-key filter. The officials' review flags are computed in SQL:
destination / end user differing from the licence, listed parties, late filing (annotations that
run on every backend), unusual volumes and structuring (window and percentile SQL, PostgreSQL).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import Organisation
from apps.clients.models import ClientEntity, ScreeningHit
from apps.licensing import selectors as licensing_selectors
from apps.licensing.models import ApplicationParty, Licence, LicenceLine
from apps.transactions import permissions
from apps.transactions.models import (
    ImportBatch,
    LedgerEntry,
    MonthlyReturn,
    TransactionLine,
    TransactionReport,
)

FLAG_LABELS = {
    "destination": "Destination differs from the licence",
    "end_user": "End user not named on the licence",
    "listed": "Listed party (screening hit)",
    "late": "Filed long after loading",
    "volume": "Volume far above the producer's history",
    "structuring": "Many shipments just under a round threshold",
}
ROUND_THRESHOLDS_KG = (100, 500, 1000, 5000, 10000)
STRUCTURING_BAND = Decimal("0.9")
STRUCTURING_MIN_COUNT = 3


def _organisation_id(user) -> int | None:
    if permissions.can_report(user):
        return user.membership.organisation_id
    return None


def report_list_for(
    user,
    *,
    search: str = "",
    licence: str = "",
    status: str = "",
    destination: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    batch: int | None = None,
) -> QuerySet[TransactionReport]:
    """The producer's own reports (officials: every company's, see `official_search`)."""
    if permissions.can_view_all(user):
        qs = TransactionReport.objects.all()
    elif (org := _organisation_id(user)) is not None:
        qs = TransactionReport.objects.filter(organisation_id=org)
    else:
        return TransactionReport.objects.none()
    if search:
        condition = Q(reference__icontains=search) | Q(customs_declaration_number=search)
        if search.upper().startswith("TR-") and search[3:].isdigit():
            condition |= Q(pk=int(search[3:]))
        condition |= Q(end_user__legal_name__icontains=search)
        qs = qs.filter(condition)
    if licence:
        qs = qs.filter(licence__number__iexact=licence.strip())
    if status:
        qs = qs.filter(status=status)
    if destination:
        qs = qs.filter(destination_country=destination.upper())
    if date_from:
        qs = qs.filter(loading_date__gte=date_from)
    if date_to:
        qs = qs.filter(loading_date__lte=date_to)
    if batch:
        qs = qs.filter(import_batch_id=batch)
    return qs.select_related("licence", "end_user", "organisation")


def report_get_for(user, pk: int) -> TransactionReport:
    try:
        return (
            report_list_for(user)
            .select_related("purchaser", "consignee", "filed_by", "import_batch", "corrects")
            .get(pk=pk)
        )
    except TransactionReport.DoesNotExist:
        raise Http404 from None


def report_corrected_by(report: TransactionReport) -> TransactionReport | None:
    """The report that replaced this one (a correction), if any."""
    return report.corrections.order_by("id").first()


def report_lines(report: TransactionReport) -> QuerySet[TransactionLine]:
    return report.lines.select_related("catalogue_entry", "licence_line").order_by("position")


def report_ledger(report: TransactionReport) -> QuerySet[LedgerEntry]:
    return report.ledger_entries.select_related("licence_line").order_by("id")


def batch_list_for(user, *, status: str = "") -> QuerySet[ImportBatch]:
    org = _organisation_id(user)
    if org is None:
        return ImportBatch.objects.none()
    qs = ImportBatch.objects.filter(organisation_id=org).select_related("uploaded_by")
    return qs.filter(status=status) if status else qs


def batch_get_for(user, pk: int) -> ImportBatch:
    try:
        return batch_list_for(user).get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def balance_list_for(user, *, status: str = "", search: str = "") -> QuerySet[LicenceLine]:
    """The company's licence lines with granted, left and used quantities."""
    org = _organisation_id(user)
    if org is None:
        return LicenceLine.objects.none()
    qs = LicenceLine.objects.filter(licence__organisation_id=org)
    if status:
        qs = qs.filter(licence__status=status)
    if search:
        qs = qs.filter(
            Q(licence__number__icontains=search) | Q(catalogue_entry__element__icontains=search)
        )
    used = ExpressionWrapper(F("quantity_granted") - F("balance"), output_field=DecimalField())
    return qs.select_related("licence", "catalogue_entry").annotate(used=used)


def licence_for_ledger(user, pk: int) -> Licence:
    """The licence page section: its holder and the authority see it (licensing's scope)."""
    return licensing_selectors.licence_get_for(user, pk)


def licence_restorable(licence: Licence, today: dt.date | None = None) -> bool:
    """An exhausted licence still within its validity becomes active again once a reversal gives
    it a balance; any other state (suspended, revoked, expired...) is not the ledger's to change."""
    today = today or timezone.localdate()
    return licence.status == "exhausted" and licence.issued_on <= today <= licence.valid_until


def correction_effect(report: TransactionReport) -> list[dict]:
    """Per licence line the report drew on: what is left now, what the reversal of the report
    gives back, and so what its correction may draw (the correction page shows it)."""
    returned = dict(
        TransactionLine.objects.filter(report=report, licence_line__isnull=False)
        .values("licence_line_id")
        .annotate(amount=Sum("quantity_licence_unit"))
        .values_list("licence_line_id", "amount")
        .order_by("licence_line_id")
    )
    lines = LicenceLine.objects.filter(pk__in=returned).select_related("catalogue_entry", "licence")
    return [
        {
            "line": line,
            "left": line.balance,
            "returned": returned[line.pk],
            "available": line.balance + returned[line.pk],
        }
        for line in lines.order_by("pk")
    ]


@dataclass
class BalancePoint:
    day: dt.date
    shipped: Decimal  # drawn by the shipments loaded that day (0 for the grant itself)
    left: Decimal  # the balance after them


@dataclass
class ChartSeries:
    line: LicenceLine
    points: list[BalancePoint]


def licence_ledger(licence: Licence) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(licence_line__licence=licence)
        .select_related("licence_line__catalogue_entry", "report", "import_batch", "actor")
        .order_by("-created_at", "-id")
    )


def balance_series(licence: Licence) -> list[ChartSeries]:
    """Per line, what was left after each day's shipments, by loading date (accepted reports;
    a cancelled report's reversal removes it, a correction's report counts at its own loading
    date). The grant is the first point, on the day of issue. The last point equals the line's
    balance, since balance == granted - sum(ledger) and the ledger nets to the accepted reports'
    draws."""
    lines = list(licence.lines.select_related("catalogue_entry").order_by("id"))
    series = {
        line.pk: ChartSeries(
            line, [BalancePoint(licence.issued_on, Decimal(0), line.quantity_granted)]
        )
        for line in lines
    }
    rows = (
        TransactionLine.objects.filter(
            licence_line__licence=licence, report__status=TransactionReport.Status.ACCEPTED
        )
        .values("licence_line_id", "report__loading_date")
        .annotate(drawn=Sum("quantity_licence_unit"))
        .order_by("report__loading_date", "licence_line_id")
    )
    for row in rows:
        points = series[row["licence_line_id"]].points
        day = max(row["report__loading_date"], licence.issued_on)
        left = points[-1].left - row["drawn"]
        if points[-1].day == day and points[-1].shipped:
            points[-1] = BalancePoint(day, points[-1].shipped + row["drawn"], left)
        else:
            points.append(BalancePoint(day, row["drawn"], left))
    return list(series.values())


# -- monthly returns -----------------------------------------------------------------------


def month_totals(organisation_id: int, month: dt.date) -> dict:
    """The month's flows from the company's accepted reports (by loading date)."""
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    lines = TransactionLine.objects.filter(
        report__organisation_id=organisation_id,
        report__status=TransactionReport.Status.ACCEPTED,
        report__loading_date__gte=month,
        report__loading_date__lt=end,
    )
    per_item = (
        lines.values("catalogue_entry__control_code", "catalogue_entry__sub_item", "form")
        .annotate(kg=Sum("quantity_kg"), shipments=Count("report", distinct=True))
        .order_by("catalogue_entry__control_code", "catalogue_entry__sub_item", "form")
    )
    per_destination = (
        lines.values("report__destination_country")
        .annotate(kg=Sum("quantity_kg"))
        .order_by("report__destination_country")
    )
    reports = TransactionReport.objects.filter(
        organisation_id=organisation_id,
        status=TransactionReport.Status.ACCEPTED,
        loading_date__gte=month,
        loading_date__lt=end,
    ).count()
    return {
        "reports": reports,
        "total_kg": str(sum((r["kg"] for r in per_item), Decimal(0))),
        "items": [
            {
                "item": f"{r['catalogue_entry__control_code']}.{r['catalogue_entry__sub_item']}",
                "form": r["form"],
                "kg": str(r["kg"]),
                "shipments": r["shipments"],
            }
            for r in per_item
        ],
        "destinations": [
            {"country": r["report__destination_country"], "kg": str(r["kg"])}
            for r in per_destination
        ],
    }


def return_due_date(month: dt.date) -> dt.date:
    """Due by the 10th (setting) of the month after."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following.replace(day=settings.TRANSACTIONS_MONTHLY_RETURN_DAY)


def returns_for(user, *, months: int = 12) -> list[dict]:
    """The company's last `months` finished months with their return (or what is due)."""
    org = _organisation_id(user)
    if org is None:
        return []
    today = timezone.localdate()
    month = today.replace(day=1)
    since = _returns_since(user.membership.organisation)
    confirmed = {
        r.month: r
        for r in MonthlyReturn.objects.filter(organisation_id=org).select_related("confirmed_by")
    }
    rows = []
    for _i in range(months):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        if month < since:
            break
        due = return_due_date(month)
        record = confirmed.get(month)
        rows.append(
            {
                "month": month,
                "due": due,
                "record": record,
                "overdue": record is None and today > due,
                "totals": record.totals if record else month_totals(org, month),
            }
        )
    return rows


def _returns_since(organisation: Organisation) -> dt.date:
    """Returns are due for the months from the one the company was verified in."""
    since = organisation.verified_at or organisation.created_at
    return timezone.localtime(since).date().replace(day=1)


def returns_missing(as_of: dt.date) -> list[tuple[Organisation, dt.date]]:
    """(company, month) pairs whose monthly return is overdue on `as_of`: every verified
    producer, for each finished month since it was verified (at most 12 back) whose due date
    has passed without a confirmation. The chasing engine calls this."""
    months = []
    month = as_of.replace(day=1)
    for _i in range(12):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        if as_of > return_due_date(month):
            months.append(month)
    if not months:
        return []
    confirmed = set(
        MonthlyReturn.objects.filter(month__in=months).values_list("organisation_id", "month")
    )
    missing = []
    for organisation in Organisation.objects.filter(status=Organisation.Status.VERIFIED).order_by(
        "pk"
    ):
        since = _returns_since(organisation)
        for month in sorted(months):
            if month >= since and (organisation.pk, month) not in confirmed:
                missing.append((organisation, month))
    return missing


# -- officials -------------------------------------------------------------------------------


def _listed_hit(field: str):
    return Exists(
        ScreeningHit.objects.filter(
            client_id=OuterRef(field),
            status__in=[ScreeningHit.Status.OPEN, ScreeningHit.Status.CONFIRMED],
        )
    )


def with_flags(qs: QuerySet[TransactionReport]) -> QuerySet[TransactionReport]:
    """Annotate the flags that SQL answers on every backend."""
    late_days = settings.TRANSACTIONS_LATE_FILING_DAYS
    end_user_named = Exists(
        ApplicationParty.objects.filter(
            application_id=OuterRef("licence__application_id"),
            client_id=OuterRef("end_user_id"),
            role="end_user",
        )
    )
    late_after = ExpressionWrapper(
        F("loading_date") + dt.timedelta(days=late_days), output_field=DateField()
    )
    return qs.annotate(
        flag_destination=_bool(
            Q(licence__isnull=False) & ~Q(destination_country=F("licence__destination_country"))
        ),
        flag_end_user=_bool(Q(licence__isnull=False) & ~Q(end_user_named)),
        flag_listed=_bool(
            Q(screening_flag=True)
            | Q(_listed_hit("purchaser_id"))
            | Q(_listed_hit("consignee_id"))
            | Q(_listed_hit("end_user_id"))
        ),
        flag_late=_bool(Q(filed_at__date__gt=late_after)),
    )


def _bool(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def statistical_flags(report_ids: list[int]) -> dict[int, set[str]]:
    """Volume far above the producer's 12-month median per item, and structuring (3+ shipments
    of an item within 90 days between 90 % and 100 % of a round threshold). PostgreSQL only:
    percentile_cont has no SQLite equivalent (the embedded demo shows the other flags)."""
    if not report_ids or connection.vendor != "postgresql":
        return {}
    line_table = TransactionLine._meta.db_table
    report_table = TransactionReport._meta.db_table
    factor = settings.TRANSACTIONS_VOLUME_FLAG_FACTOR
    thresholds = ",".join(f"({t})" for t in ROUND_THRESHOLDS_KG)
    sql = f"""
    WITH target AS (
        SELECT l.report_id, r.organisation_id, l.catalogue_entry_id, l.quantity_kg, r.loading_date
        FROM {line_table} l JOIN {report_table} r ON r.id = l.report_id
        WHERE l.report_id = ANY(%s)
    ),
    volume AS (
        SELECT t.report_id FROM target t
        CROSS JOIN LATERAL (
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h.quantity_kg) AS median,
                   count(*) AS n
            FROM {line_table} h JOIN {report_table} hr ON hr.id = h.report_id
            WHERE hr.organisation_id = t.organisation_id
              AND h.catalogue_entry_id = t.catalogue_entry_id
              AND hr.status = 'accepted'
              AND hr.loading_date BETWEEN t.loading_date - 365 AND t.loading_date
        ) m
        WHERE m.n >= 5 AND t.quantity_kg > %s * m.median
    ),
    structuring AS (
        SELECT t.report_id FROM target t
        JOIN (VALUES {thresholds}) AS th(kg)
          ON t.quantity_kg >= th.kg * %s AND t.quantity_kg < th.kg
        CROSS JOIN LATERAL (
            SELECT count(*) AS n
            FROM {line_table} h JOIN {report_table} hr ON hr.id = h.report_id
            WHERE hr.organisation_id = t.organisation_id
              AND h.catalogue_entry_id = t.catalogue_entry_id
              AND hr.status = 'accepted'
              AND hr.loading_date BETWEEN t.loading_date - 90 AND t.loading_date + 90
              AND h.quantity_kg >= th.kg * %s AND h.quantity_kg < th.kg
        ) c
        WHERE c.n >= %s
    )
    SELECT report_id, 'volume' FROM volume
    UNION SELECT report_id, 'structuring' FROM structuring
    """  # noqa: S608 # nosec B608 - table names and integer constants only
    flags: dict[int, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                list(report_ids),
                factor,
                STRUCTURING_BAND,
                STRUCTURING_BAND,
                STRUCTURING_MIN_COUNT,
            ],
        )
        for report_id, flag in cursor.fetchall():
            flags.setdefault(report_id, set()).add(flag)
    return flags


def report_flags(report: TransactionReport) -> list[str]:
    annotated = with_flags(TransactionReport.objects.filter(pk=report.pk)).values(
        "flag_destination", "flag_end_user", "flag_listed", "flag_late"
    )[0]
    flags = [name[5:] for name, on in annotated.items() if on]
    flags.extend(sorted(statistical_flags([report.pk]).get(report.pk, ())))
    return flags


def official_search(
    user,
    *,
    organisation: int | None = None,
    element: str = "",
    entity: int | None = None,
    destination: str = "",
    licence: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kg_min: Decimal | None = None,
    kg_max: Decimal | None = None,
    flagged: str = "",
) -> QuerySet[TransactionReport]:
    """Every company's reports, filtered in SQL, with the SQL flags annotated."""
    if not permissions.can_view_all(user):
        return TransactionReport.objects.none()
    qs = TransactionReport.objects.all()
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if element:
        qs = qs.filter(
            Exists(
                TransactionLine.objects.filter(
                    report_id=OuterRef("pk"), catalogue_entry__symbol=element
                )
            )
        )
    if entity:
        qs = qs.filter(
            Q(end_user__entity_id=entity)
            | Q(purchaser__entity_id=entity)
            | Q(consignee__entity_id=entity)
        )
    if destination:
        qs = qs.filter(destination_country=destination.upper())
    if licence:
        qs = qs.filter(licence__number__iexact=licence.strip())
    if date_from:
        qs = qs.filter(loading_date__gte=date_from)
    if date_to:
        qs = qs.filter(loading_date__lte=date_to)
    if kg_min is not None:
        qs = qs.filter(total_kg__gte=kg_min)
    if kg_max is not None:
        qs = qs.filter(total_kg__lte=kg_max)
    qs = with_flags(qs)
    if flagged == "any":
        qs = qs.filter(
            Q(flag_destination=True)
            | Q(flag_end_user=True)
            | Q(flag_listed=True)
            | Q(flag_late=True)
        )
    elif flagged in ("destination", "end_user", "listed", "late"):
        qs = qs.filter(**{f"flag_{flagged}": True})
    return qs.select_related("organisation", "licence", "end_user", "end_user__entity")


def entity_totals(
    user,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    element: str = "",
    search: str = "",
) -> QuerySet[ClientEntity]:
    """Per client entity (the clients registry's real-world firm behind each producer's record):
    shipments and kilograms received as end user, over accepted reports."""
    if not permissions.can_view_all(user):
        return ClientEntity.objects.none()
    line_filter = Q(report__status=TransactionReport.Status.ACCEPTED)
    if date_from:
        line_filter &= Q(report__loading_date__gte=date_from)
    if date_to:
        line_filter &= Q(report__loading_date__lte=date_to)
    if element:
        line_filter &= Q(catalogue_entry__symbol=element)
    lines = TransactionLine.objects.filter(line_filter, report__end_user__entity_id=OuterRef("pk"))
    kg = Subquery(
        lines.values("report__end_user__entity_id")
        .annotate(total=Sum("quantity_kg"))
        .values("total")[:1],
        output_field=DecimalField(max_digits=24, decimal_places=3),
    )
    shipments = Subquery(
        lines.values("report__end_user__entity_id")
        .annotate(n=Count("report", distinct=True))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    producers = Subquery(
        lines.values("report__end_user__entity_id")
        .annotate(n=Count("report__organisation", distinct=True))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    qs = ClientEntity.objects.filter(merged_into__isnull=True)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.annotate(
        total_kg=Coalesce(kg, Cast(Value(0), DecimalField(max_digits=24, decimal_places=3))),
        shipments=Coalesce(shipments, Value(0)),
        producers=Coalesce(producers, Value(0)),
    ).filter(shipments__gt=0)


# -- home pages ------------------------------------------------------------------------------


def home_summary(user) -> dict:
    """The transaction figures a home page shows: a producer's own reports this month and its
    monthly returns due or overdue; for officials every company's reports of the last 30 days
    and the returns missing. Empty for anyone else."""
    today = timezone.localdate()
    if (org := _organisation_id(user)) is not None:
        rows = returns_for(user)
        accepted = TransactionReport.objects.filter(
            organisation_id=org, status=TransactionReport.Status.ACCEPTED
        )
        return {
            "reports_this_month": accepted.filter(
                loading_date__gte=today.replace(day=1), loading_date__lte=today
            ).count(),
            "returns_overdue": sum(1 for row in rows if row["overdue"]),
            "returns_due": sum(1 for row in rows if row["record"] is None and not row["overdue"]),
        }
    if permissions.can_view_all(user):
        return {
            "reports_30_days": TransactionReport.objects.filter(
                status=TransactionReport.Status.ACCEPTED,
                loading_date__gte=today - dt.timedelta(days=30),
            ).count(),
            "returns_missing": len(returns_missing(today)),
        }
    return {}
