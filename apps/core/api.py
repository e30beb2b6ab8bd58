"""The API's shared parts: deny-by-default permission and paging (errors: api_errors.py).

Nothing here may import rest_framework.views: DRF imports these classes while it loads."""

from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination

from apps.core import roles


class DenyAll(permissions.BasePermission):
    """The default: a view that forgets to name its permission serves nobody."""

    def has_permission(self, request, view) -> bool:
        return False


def role_permission(*allowed: roles.Role) -> type[permissions.BasePermission]:
    """A DRF permission class granting access to authenticated users holding one of the roles."""

    class HasRole(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.is_authenticated) and roles.has_role(
                request.user, *allowed
            )

    HasRole.__name__ = "HasRole_" + "_".join(role.value for role in allowed)
    return HasRole


class IsAuthenticatedUser(permissions.IsAuthenticated):
    """Any signed-in user, even of an unverified company (their own profile and status)."""


class IsPortalUser(permissions.BasePermission):
    """Signed in with a role; a producer's company must be verified (pending sees only status)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and roles.user_roles(user)):
            return False
        if roles.is_producer(user):
            return user.membership.organisation.is_verified
        return True


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
