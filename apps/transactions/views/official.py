"""The authority's pages: search across producers with review flags, per-entity totals."""

from django.shortcuts import render

from apps.accounts.models import Organisation
from apps.catalogue.models import CatalogueEntry
from apps.core.access import role_required
from apps.core.listing import list_context
from apps.core.roles import Role
from apps.transactions import forms, selectors

AUTHORITY = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)


def _elements():
    return list(
        CatalogueEntry.objects.order_by("symbol").values_list("symbol", "element").distinct()
    )


@role_required(*AUTHORITY)
def search(request):
    organisations = [
        (str(pk), name)
        for pk, name in Organisation.objects.order_by("legal_name").values_list("pk", "legal_name")
    ]
    filters = forms.OfficialSearchForm(
        request.GET or None, organisations=organisations, elements=_elements()
    )
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.official_search(
        request.user,
        organisation=int(values["organisation"]) if values.get("organisation") else None,
        element=values.get("element") or "",
        entity=values.get("entity"),
        destination=values.get("destination") or "",
        licence=values.get("licence") or "",
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
        kg_min=values.get("kg_min"),
        kg_max=values.get("kg_max"),
        flagged=values.get("flagged") or "",
    )
    context = list_context(
        request,
        qs,
        default_sort="-loading",
        sort_fields={
            "loading": "loading_date",
            "producer": "organisation__legal_name",
            "destination": "destination_country",
            "kg": "total_kg",
            "filed": "filed_at",
        },
    )
    stats = selectors.statistical_flags([r.pk for r in context["object_list"]])
    for report in context["object_list"]:
        report.stat_flags = sorted(stats.get(report.pk, ()))
    context.update({"filters": filters, "flag_labels": selectors.FLAG_LABELS})
    return render(request, "transactions/search.html", context)


@role_required(*AUTHORITY)
def entity_totals(request):
    filters = forms.EntityTotalsForm(request.GET or None, elements=_elements())
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.entity_totals(
        request.user,
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
        element=values.get("element") or "",
        search=(values.get("q") or "").strip(),
    )
    context = list_context(
        request,
        qs,
        default_sort="-kg",
        sort_fields={
            "name": "name",
            "country": "country",
            "kg": "total_kg",
            "shipments": "shipments",
            "producers": "producers",
        },
    )
    context["filters"] = filters
    return render(request, "transactions/entity_totals.html", context)
