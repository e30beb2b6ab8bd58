"""Two-step verification (enrol, verify, recovery codes, turn off) and re-authentication."""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from apps.accounts import mfa
from apps.accounts.security_forms import EnrolForm, OTPTokenForm, ReauthenticateForm
from apps.audit.services import audit_record
from apps.core.access import login_required_any, recent_auth_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.security.sessions import mark_reauthenticated
from apps.core.security.throttle import pause_message

PENDING_KEY = "rt_mfa_pending_key"


def _next_url(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return default
    return target


@login_required_any
def mfa_overview(request):
    user = request.user
    return render(
        request,
        "accounts/mfa_overview.html",
        {
            "enrolled": mfa.mfa_enrolled(user),
            "required": mfa.mfa_required(user),
            "codes_left": mfa.recovery_codes_left(user),
        },
    )


@never_cache
@login_required_any
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Show a new secret as a QR code; confirming a code from the app enrols it.

    Replacing an existing authenticator is an MFA change: it needs a verified session and a recent
    password (the redirect below and `recent_auth_required`).
    """
    user = request.user
    enrolled = mfa.mfa_enrolled(user)
    if enrolled and not mfa.session_verified(user):
        return redirect("accounts:mfa_verify")
    if enrolled:
        return _mfa_replace(request)
    return _mfa_enrol(request)


@recent_auth_required()
def _mfa_replace(request):
    return _mfa_enrol(request)


def _mfa_enrol(request):
    user = request.user
    key = request.session.get(PENDING_KEY)
    if request.method == "GET" or not key:
        key = mfa.new_totp_key()
        request.session[PENDING_KEY] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = mfa.totp_device_enrol(
                actor=user, key_hex=key, token=form.cleaned_data["token"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            del request.session[PENDING_KEY]
            otp_login(request, device)
            user._rt_needs_mfa = True
            return render(
                request,
                "accounts/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request, "")},
            )
    config_url = mfa.totp_config_url(user, key)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_data_uri": mfa.totp_qr_data_uri(config_url),
            "secret": _b32(key),
            "required": mfa.mfa_required(user),
            "next": _next_url(request, ""),
        },
    )


@never_cache
@login_required_any
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    user = request.user
    if not mfa.mfa_enrolled(user):
        return redirect("accounts:mfa_setup")
    if mfa.session_verified(user):
        return redirect(_next_url(request))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.mfa_verify(actor=user, token=form.cleaned_data["token"])
        if device is None:
            wait = mfa.seconds_until_retry(user)
            form.add_error(
                "token",
                _("That code is not right. Wait %(n)s seconds, then enter the current code.")
                % {"n": wait}
                if wait
                else _("That code is not right. Try the current code again."),
            )
        else:
            otp_login(request, device)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(
                    request,
                    _("You used a recovery code; %(n)s left. Make new ones on the security page.")
                    % {"n": mfa.recovery_codes_left(user)},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required_any
@require_POST
@recent_auth_required()
def mfa_recovery_codes(request):
    try:
        codes = mfa.recovery_codes_regenerate(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:mfa")
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": ""})


@login_required_any
@require_POST
@recent_auth_required()
def mfa_disable(request):
    if mfa.mfa_required(request.user):
        raise PermissionDenied
    mfa.mfa_disable(actor=request.user)
    messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:mfa")


@never_cache
@login_required_any
@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """Type the password again (and a code, with MFA) before a sensitive action."""
    user = request.user
    needs_token = mfa.mfa_enrolled(user)
    form = ReauthenticateForm(request.POST or None, needs_token=needs_token)
    if request.method == "POST" and form.is_valid():
        checked = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        pause = getattr(request, "login_pause", None)
        if pause is not None:
            form.add_error(None, pause_message(pause))
        elif checked is None or checked.pk != user.pk:
            form.add_error("password", _("That password is not right."))
        elif needs_token and mfa.mfa_verify(actor=user, token=form.cleaned_data["token"]) is None:
            form.add_error("token", _("That code is not right."))
        else:
            mark_reauthenticated(request)
            audit_record(actor=user, action="auth.reauthenticate", obj=user)
            return redirect(_next_url(request))
    return render(
        request, "accounts/reauthenticate.html", {"form": form, "next": _next_url(request)}
    )


def _b32(key_hex: str) -> str:
    from base64 import b32encode
    from binascii import unhexlify

    raw = b32encode(unhexlify(key_hex)).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
