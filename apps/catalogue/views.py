"""Catalogue pages: officials and auditors read, administrators create and edit."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.catalogue import forms, permissions, selectors, services
from apps.catalogue.models import STATUS_LABELS
from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.listing import list_context
from apps.core.roles import Role

READERS = (Role.ADMINISTRATOR, Role.REVIEWER, Role.APPROVER, Role.AUDITOR)


@role_required(*READERS)
def entry_list(request):
    filters = forms.CatalogueFilterForm(
        request.GET or None, elements=selectors.catalogue_elements_for(request.user)
    )
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    on_date = cleaned.get("on") or timezone.localdate()
    qs = selectors.catalogue_entry_list_for(
        request.user,
        search=cleaned.get("q", "").strip(),
        element=cleaned.get("element", ""),
        sub_item=cleaned.get("sub_item", ""),
        status=cleaned.get("status", ""),
        on_date=on_date,
    )
    context = list_context(
        request,
        qs,
        default_sort="code",
        sort_fields={
            "code": "control_code",
            "element": "element",
            "name": "name",
            "from": "effective_from",
            "suspended": "suspended_until",
        },
    )
    rows = [
        (entry, status, STATUS_LABELS[status])
        for entry in context["object_list"]
        for status in [entry.status_on(on_date)]
    ]
    context.update(
        {
            "filters": filters,
            "rows": rows,
            "on_date": on_date,
            "can_edit": permissions.can_edit_catalogue(request.user),
        }
    )
    return render(request, "catalogue/entry_list.html", context)


@role_required(*READERS)
def entry_detail(request, pk: int):
    entry = selectors.catalogue_entry_get_for(request.user, pk)
    today = timezone.localdate()
    status = entry.status_on(today)
    return render(
        request,
        "catalogue/entry_detail.html",
        {
            "entry": entry,
            "status": status,
            "status_label": STATUS_LABELS[status],
            "today": today,
            "can_edit": permissions.can_edit_catalogue(request.user),
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def entry_create(request):
    form = forms.CatalogueEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.catalogue_entry_create(actor=request.user, data=form.to_data())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(ref)s added to the catalogue.") % {"ref": entry})
            return redirect("catalogue:entry_detail", pk=entry.pk)
    return render(request, "catalogue/entry_form.html", {"form": form, "entry": None})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    entry = selectors.catalogue_entry_get_for(request.user, pk)
    form = forms.CatalogueEntryForm(
        request.POST or None, initial=forms.CatalogueEntryForm.initial_for(entry)
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.catalogue_entry_update(
                actor=request.user, entry=entry, data=form.to_data()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(ref)s saved.") % {"ref": entry})
            return redirect("catalogue:entry_detail", pk=entry.pk)
    return render(request, "catalogue/entry_form.html", {"form": form, "entry": entry})
