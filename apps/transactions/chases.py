"""Chases on transaction reporting (autodiscovered by apps.notifications).

Monthly returns missing after their due date (the 10th): the producer's staff are reminded once
per month missing, and the approvers are told when it is still missing after
TRANSACTIONS_RETURN_ESCALATE_DAYS working days. Shipments reported more than
TRANSACTIONS_LATE_FILING_DAYS after loading: the officials are told once per report.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import DateField, ExpressionWrapper, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role
from apps.licensing.chases import Officials, company_users, local_today, working_days_back
from apps.notifications.chasing import ChaseContext, Due, chase
from apps.notifications.models import Reminder
from apps.transactions import selectors
from apps.transactions.models import TransactionReport
from apps.workcalendar.selectors import work_calendar


def _claimed(kind: str, object_type: str) -> set[tuple[str, str]]:
    """(object id, threshold) pairs already claimed for `kind`: one query per sweep."""
    return set(
        Reminder.objects.filter(kind=kind, object_type=object_type).values_list(
            "object_id", "threshold"
        )
    )


@chase("transactions.return_missing")
def return_missing(ctx: ChaseContext) -> Iterator[Due]:
    """A monthly return missing after the due date: remind the producer's staff once per month;
    escalate to the approvers after TRANSACTIONS_RETURN_ESCALATE_DAYS working days."""
    today = local_today(ctx)
    calendar = work_calendar()
    escalate_days = settings.TRANSACTIONS_RETURN_ESCALATE_DAYS
    escalate_if_due_before = working_days_back(calendar, today, escalate_days)
    missing = selectors.returns_missing(today)
    if not missing:
        return
    claimed = _claimed(ctx.name, "accounts.organisation")
    approvers = None
    for organisation, month in missing:
        due_on = selectors.return_due_date(month)
        params = {
            "company": organisation.legal_name,
            "month": month.strftime("%Y-%m"),
            "due": due_on.isoformat(),
        }
        threshold = month.strftime("%Y-%m")
        if (str(organisation.pk), threshold) not in claimed:
            yield Due(
                obj=organisation,
                threshold=threshold,
                recipients=company_users(organisation.pk),
                title=_("The monthly return for %(month)s was due on %(due)s"),
                body=_("Confirm the month's exports (or a nil return) on the returns page."),
                params=params,
                link=reverse("transactions:returns"),
            )
        threshold = f"{month:%Y-%m}:escalated"
        if due_on <= escalate_if_due_before and (str(organisation.pk), threshold) not in claimed:
            if approvers is None:
                approvers = list(
                    get_user_model().objects.filter(
                        groups__name=Role.APPROVER.value, is_active=True
                    )
                )
            yield Due(
                obj=organisation,
                threshold=threshold,
                recipients=approvers,
                title=_("%(company)s has not filed its monthly return for %(month)s"),
                body=_("It was due on %(due)s."),
                params=params,
                link=reverse("transactions:search"),
            )


@chase("transactions.late_shipment")
def late_shipment(ctx: ChaseContext) -> Iterator[Due]:
    """A shipment reported more than TRANSACTIONS_LATE_FILING_DAYS after loading: tell the
    approvers who may act on the company, once per report (reports filed in the last
    TRANSACTIONS_LATE_LOOKBACK_DAYS, so the sweep stays small)."""
    late_after = ExpressionWrapper(
        F("loading_date") + timedelta(days=settings.TRANSACTIONS_LATE_FILING_DAYS),
        output_field=DateField(),
    )
    qs = (
        TransactionReport.objects.filter(
            status=TransactionReport.Status.ACCEPTED,
            filed_at__gte=ctx.now - timedelta(days=settings.TRANSACTIONS_LATE_LOOKBACK_DAYS),
        )
        .alias(late_after=late_after)
        .filter(filed_at__date__gt=F("late_after"))
        .select_related("organisation")
        .order_by("filed_at", "pk")
    )
    officials = Officials()
    for report in ctx.unclaimed(qs, threshold="late").iterator(ctx.batch_size):
        days = (timezone.localtime(report.filed_at).date() - report.loading_date).days
        yield Due(
            obj=report,
            threshold="late",
            recipients=officials.approvers_for_company(report.organisation_id),
            title=_("%(number)s from %(company)s was reported %(days)d days after loading"),
            params={
                "number": report.number,
                "company": report.organisation.legal_name,
                "days": days,
            },
            link=reverse("transactions:report_detail", args=[report.pk]),
        )
