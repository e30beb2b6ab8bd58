"""The MFA gate: a signed-in user who needs a second factor reaches nothing else until verified.

Deny by default: every URL, including ones added later, is closed to an unverified session except
the short allow-list below (sign-in, sign-out, enrolment, verification, password reset, language,
health). Pages redirect to enrolment (no device yet) or verification; API calls made with the
session get a JSON 403. Token-authenticated API calls carry no session and are not affected: a
token can only be created from a verified session (apps.accounts.views.tokens).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from apps.accounts import mfa

ALLOWED_URL_NAMES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:mfa_setup",
        "accounts:mfa_verify",
        "accounts:set_language",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "healthz",
    }
)


def _allowed(request) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in ALLOWED_URL_NAMES


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and mfa.session_needs_mfa(user)
            and not mfa.session_verified(user)
            and not _allowed(request)
        ):
            return self._refuse(request, user)
        return self.get_response(request)

    def _refuse(self, request, user):
        enrolled = mfa.mfa_enrolled(user)
        if request.path_info.startswith("/api/"):
            message = (
                _("Enter the code from your authenticator app in the browser first.")
                if enrolled
                else _("Set up two-step verification in the browser first.")
            )
            return JsonResponse({"error": {"code": "mfa_required", "message": message}}, status=403)
        target = reverse("accounts:mfa_verify" if enrolled else "accounts:mfa_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
