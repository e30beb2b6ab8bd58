"""Personal API tokens: created and revoked in the browser, the secret shown exactly once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import forms, mfa, selectors, services
from apps.core.access import recent_auth_required, role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.roles import Role


@role_required(*Role)
@require_http_methods(["GET", "POST"])
@recent_auth_required()
def token_list(request):
    form = forms.ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and not mfa.mfa_session_ok(request.user):
        raise PermissionDenied  # the MFA gate stops this first; a token must never bypass MFA
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            form = forms.ApiTokenForm()
    tokens = selectors.token_list_for(request.user)
    return render(
        request, "accounts/token_list.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@role_required(*Role)
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get_for(request.user, pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:token_list")
