"""Chases on accounts data (autodiscovered by apps.notifications): what waits on administrators."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation
from apps.core.roles import Role
from apps.notifications.chasing import ChaseContext, Due, chase


def waited_since(now: datetime, days: int) -> datetime:
    """The moment a wait of `days` began, counted back from `now`.

    Hook for the working-day calendar: plain calendar days until apps.workcalendar is merged;
    then count working days back on the official calendar here (one place for every chase here).
    """
    return now - timedelta(days=days)


def administrators() -> list:
    return list(
        get_user_model().objects.filter(groups__name=Role.ADMINISTRATOR.value, is_active=True)
    )


@chase("accounts.pending_verification")
def pending_verification(ctx: ChaseContext):
    """Companies waiting for verification for 2 and 5 days: remind the administrators."""
    admins = None
    for days in sorted(settings.PENDING_VERIFICATION_REMIND_DAYS):
        threshold = f"{days}d"
        due = ctx.unclaimed(
            Organisation.objects.filter(
                status=Organisation.Status.PENDING,
                created_at__lte=waited_since(ctx.now, days),
            ).order_by("pk"),
            threshold=threshold,
        )
        for organisation in due.iterator(chunk_size=ctx.batch_size):
            if admins is None:
                admins = administrators()
            yield Due(
                obj=organisation,
                threshold=threshold,
                recipients=admins,
                title=_("%(company)s has waited %(days)d days for verification"),
                body=_("Check the company's registration and verify or suspend it."),
                params={"company": organisation.legal_name, "days": days},
                link=reverse("accounts:organisation_detail", args=[organisation.pk]),
            )
