"""Administrators verify companies and manage officials; officials and auditors read companies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import forms, permissions, selectors, services
from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.listing import list_context
from apps.core.roles import Role

AUTHORITY = (Role.ADMINISTRATOR, Role.REVIEWER, Role.APPROVER, Role.AUDITOR)


@role_required(*AUTHORITY)
def organisation_list(request):
    filters = forms.OrganisationFilterForm(request.GET or None)
    search = status = ""
    if filters.is_valid():
        search, status = filters.cleaned_data["q"], filters.cleaned_data["status"]
    qs = selectors.organisation_list_for(request.user, search=search, status=status)
    context = list_context(
        request,
        qs,
        default_sort="name",
        sort_fields={
            "name": "legal_name",
            "province": "province",
            "status": "status",
            "registered": "created_at",
            "members": "member_count",
        },
    )
    context["filters"] = filters
    template = (
        "accounts/_organisation_table.html" if request.htmx else "accounts/organisation_list.html"
    )
    return render(request, template, context)


@role_required(*AUTHORITY)
@require_http_methods(["GET", "POST"])
def organisation_detail(request, pk: int):
    organisation = selectors.organisation_get_for(request.user, pk)
    can_act = permissions.can_verify_organisations(request.user)
    form = forms.OrganisationActionForm(request.POST or None, status=organisation.status)
    if request.method == "POST":
        if not can_act:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.organisation_set_status(
                    actor=request.user,
                    organisation=organisation,
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("%(name)s updated.") % {"name": organisation.legal_name}
                )
                return redirect("accounts:organisation_detail", pk=pk)
    members = selectors.member_list_for(request.user, organisation).select_related("membership")
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "members": members, "form": form, "can_act": can_act},
    )


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def official_list(request):
    form = forms.OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            official = services.official_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(email)s was created and e-mailed a link to set a password.")
                % {"email": official.email},
            )
            return redirect("accounts:official_list")
    qs = selectors.official_list_for(
        request.user, search=request.GET.get("q", "").strip(), role=request.GET.get("role", "")
    )
    context = list_context(
        request,
        qs,
        default_sort="name",
        sort_fields={
            "name": "full_name",
            "email": "email",
            "active": "is_active",
            "joined": "date_joined",
        },
    )
    context.update({"form": form, "role_choices": forms.OfficialForm.base_fields["roles"].choices})
    return render(request, "accounts/official_list.html", context)


@role_required(Role.ADMINISTRATOR)
@require_POST
def official_toggle(request, pk: int):
    official = selectors.official_get_for(request.user, pk)
    try:
        services.official_set_active(
            actor=request.user, official=official, active=request.POST.get("active") == "1"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:official_list")
