"""Access rules for HTML views: anonymous -> login, wrong role -> 403, unverified -> status."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from apps.core import roles


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
