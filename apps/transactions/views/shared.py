"""Pages the producer and the authority both see (each through its own scope)."""

from django.shortcuts import render
from django.utils import timezone

from apps.core.access import role_required
from apps.core.listing import list_context
from apps.core.roles import Role
from apps.transactions import chart, forms, permissions, selectors

READERS = tuple(Role)


@role_required(*READERS)
def report_detail(request, pk: int):
    report = selectors.report_get_for(request.user, pk)
    official = permissions.can_view_all(request.user)
    return render(
        request,
        "transactions/report_detail.html",
        {
            "report": report,
            "lines": selectors.report_lines(report),
            "ledger": selectors.report_ledger(report),
            "corrected_by": selectors.report_corrected_by(report),
            "flags": selectors.report_flags(report) if official else [],
            "flag_labels": selectors.FLAG_LABELS,
            "can_cancel": report.status == "accepted"
            and permissions.can_cancel_report(request.user, report),
            "cancel_form": forms.CancelForm(),
        },
    )


@role_required(*READERS)
def licence_ledger(request, pk: int):
    licence = selectors.licence_for_ledger(request.user, pk)
    entries = selectors.licence_ledger(licence)
    context = list_context(request, entries, default_sort="-at", sort_fields={"at": "created_at"})
    context.update(
        {
            "licence": licence,
            "lines": licence.lines.select_related("catalogue_entry").order_by("id"),
            # up to today, or to the end of the validity for a licence that has run out
            "charts": chart.balance_charts(
                selectors.balance_series(licence),
                start=licence.issued_on,
                end=min(timezone.localdate(), licence.valid_until),
            ),
        }
    )
    return render(request, "transactions/licence_ledger.html", context)
