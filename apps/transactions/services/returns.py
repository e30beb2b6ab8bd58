"""Monthly flow returns: a producer confirms the previous month's flows (nil returns allowed)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import ConflictError, DomainError
from apps.transactions import selectors
from apps.transactions.models import MonthlyReturn
from apps.transactions.services.reports import organisation_id_of


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return first_of_month(first_of_month(day) - dt.timedelta(days=1))


@transaction.atomic
def monthly_return_confirm(*, actor, month: dt.date) -> MonthlyReturn:
    """Confirm a finished month's flows as compiled from the company's reports, once."""
    organisation_id = organisation_id_of(actor)
    month = first_of_month(month)
    if month >= first_of_month(timezone.localdate()):
        raise DomainError(
            _("%(m)s is not over yet: a month is confirmed once it has ended.")
            % {"m": month.strftime("%Y-%m")},
            field_errors={"month": [_("Choose a past month.")]},
        )
    totals = selectors.month_totals(organisation_id, month)
    try:
        with transaction.atomic():
            confirmed = MonthlyReturn.objects.create(
                organisation_id=organisation_id,
                month=month,
                nil_return=totals["reports"] == 0,
                totals=totals,
                confirmed_by=actor,
                confirmed_at=timezone.now(),
            )
    except IntegrityError:
        raise ConflictError(
            _("The return for %(m)s was already confirmed.") % {"m": month.strftime("%Y-%m")}
        ) from None
    audit_record(
        actor=actor,
        action="transactions.monthly_return",
        obj=confirmed,
        changes={"month": month.strftime("%Y-%m"), "nil": confirmed.nil_return, **totals},
    )
    return confirmed
