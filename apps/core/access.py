"""Access rules for HTML views: anonymous -> login, wrong role -> 403, unverified -> status."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import roles
from apps.core.security.sessions import seconds_since_auth

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def role_required(*allowed: roles.Role, verified_company: bool = True):
    """Only users holding one of `allowed`; producers also need a verified company by default."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles.has_role(user, *allowed):
                raise PermissionDenied
            if verified_company and roles.is_producer(user) and not _company_verified(user):
                return redirect("accounts:registration_status")
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(allowed)
        return wrapper

    return decorator


def _company_verified(user) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.organisation.is_verified


def login_required_any(view):
    """Any signed-in user, whatever the role (profile, password, language)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def recent_auth_required(max_age: int | None = None, *, methods=UNSAFE_METHODS, next_url=None):
    """Sensitive actions: the user must have typed their password (and MFA code) recently.

    For a request whose method is in `methods` (by default the ones that change something) and
    whose last authentication is older than `max_age` seconds (default RECENT_AUTH_MAX_AGE), the
    user is sent to the re-authentication page and then back to this page (as a GET, so the form
    is shown again and nothing is submitted twice). Put it under `role_required`:

        @role_required(Role.APPROVER)
        @recent_auth_required()
        def decide(request, pk): ...

    A POST-only endpoint cannot be shown again as a GET: give `next_url(request, *args, **kwargs)`
    returning the page that holds its form (e.g. the case page for the decide endpoint).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            limit = settings.RECENT_AUTH_MAX_AGE if max_age is None else max_age
            if request.method in methods and seconds_since_auth(request) > limit:
                messages.info(request, _("Confirm your identity to continue."))
                back = next_url(request, *args, **kwargs) if next_url else request.get_full_path()
                query = urlencode({"next": back})
                return redirect(f"{reverse('accounts:reauthenticate')}?{query}")
            return view(request, *args, **kwargs)

        wrapper.recent_auth_max_age = max_age
        return wrapper

    return decorator
