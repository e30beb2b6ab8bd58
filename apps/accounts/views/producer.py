"""The producer administrator's team page: colleagues, invitations, deactivation."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import forms, selectors, services
from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.listing import list_context
from apps.core.roles import Role


@role_required(Role.PRODUCER_ADMIN)
@require_http_methods(["GET", "POST"])
def team(request):
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                actor=request.user, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:team")
    members = selectors.member_list_for(request.user).select_related("membership")
    search = request.GET.get("q", "").strip()
    if search:
        members = members.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    context = list_context(
        request,
        members,
        default_sort="name",
        sort_fields={
            "name": "full_name",
            "email": "email",
            "role": "membership__role",
            "active": "is_active",
        },
    )
    context.update(
        {
            "form": form,
            "search": search,
            "invitations": selectors.invitation_list_for(request.user).filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            )[:50],
        }
    )
    return render(request, "accounts/team.html", context)


@role_required(Role.PRODUCER_ADMIN)
@require_POST
def member_toggle(request, pk: int):
    member = selectors.member_get_for(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.member_set_active(actor=request.user, member=member, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (_("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in."))
            % {"name": member.full_name},
        )
    return redirect("accounts:team")


@role_required(Role.PRODUCER_ADMIN)
@require_POST
def invitation_revoke(request, pk: int):
    invitation = selectors.invitation_get_for(request.user, pk)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("accounts:team")
