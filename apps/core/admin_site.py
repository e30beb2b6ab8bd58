from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from apps.core.roles import Role, has_role


def restrict_admin_to_administrators(site) -> None:
    """The Django admin is for active administrators with an MFA-verified session only.

    Its own login form is replaced by the portal's (throttled, followed by the MFA step), so there
    is no second way in that skips either.
    """

    def has_permission(request) -> bool:
        user = request.user
        is_verified = getattr(user, "is_verified", None)
        return bool(
            user.is_active
            and user.is_staff
            and (user.is_superuser or has_role(user, Role.ADMINISTRATOR))
            and is_verified is not None
            and is_verified()
        )

    def login(request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or request.get_full_path())

    site.has_permission = has_permission
    site.login = login
    site.site_header = "RareTrack administration"
    site.site_title = "RareTrack"
