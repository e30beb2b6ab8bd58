"""The producer's client book: list, add, change, archive. Only its own company's records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.clients import forms, permissions, selectors, services
from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.listing import list_context
from apps.core.roles import PRODUCER_ROLES

STATUS_MESSAGES = {
    "review": gettext_lazy("%(name)s resembles a listed party; officials will review the match."),
    "control": gettext_lazy("%(name)s is on the control list."),
    "watch": gettext_lazy("%(name)s is on the watch list."),
}


@role_required(*PRODUCER_ROLES)
def client_list(request):
    filters = forms.ClientFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.client_list_for(
        request.user,
        search=values.get("q", "").strip(),
        country=values.get("country", ""),
        sector=values.get("sector", ""),
        role=values.get("role", ""),
        screening_status=values.get("screening", ""),
        archived=bool(values.get("archived")),
    )
    context = list_context(
        request,
        qs,
        default_sort="name",
        sort_fields={
            "name": "legal_name",
            "country": "country",
            "sector": "sector",
            "screening": "screening_status",
            "updated": "updated_at",
        },
    )
    context["filters"] = filters
    return render(request, "clients/client_list.html", context)


def _save(request, form, client=None):
    data = dict(form.cleaned_data)
    data["parent"] = data["parent"].pk if data.get("parent") else None
    if client is None:
        return services.client_create(actor=request.user, data=data)
    return services.client_update(actor=request.user, client=client, data=data)


def _announce(request, client) -> None:
    client.refresh_from_db(fields=["screening_status"])
    template = STATUS_MESSAGES.get(client.screening_status)
    if template:
        messages.warning(request, template % {"name": client.legal_name})
    messages.success(request, _("%(name)s saved.") % {"name": client.legal_name})


@role_required(*PRODUCER_ROLES)
@require_http_methods(["GET", "POST"])
def client_create(request):
    form = forms.ClientForm(
        request.POST or None, parent_queryset=selectors.parent_choices_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            client = _save(request, form)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            _announce(request, client)
            return redirect("clients:client_list")
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@role_required(*PRODUCER_ROLES)
@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    client = selectors.client_get_for(request.user, pk)
    can_change = permissions.can_change_client(request.user, client)
    form = forms.ClientForm(
        request.POST or None,
        initial=forms.ClientForm.initial_for(client),
        parent_queryset=selectors.parent_choices_for(request.user, client),
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                client = _save(request, form, client)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                _announce(request, client)
                return redirect("clients:client_list")
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": client, "can_change": can_change},
    )


@role_required(*PRODUCER_ROLES)
@require_POST
def client_archive(request, pk: int):
    client = selectors.client_get_for(request.user, pk)
    try:
        services.client_archive(actor=request.user, client=client)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("clients:client_edit", pk=pk)
    messages.success(request, _("%(name)s archived.") % {"name": client.legal_name})
    return redirect("clients:client_list")
