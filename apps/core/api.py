"""The API's shared parts: deny-by-default permission and paging (errors: api_errors.py).

Nothing here may import rest_framework.views: DRF imports these classes while it loads."""

from functools import partial

from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination

from apps.core import roles
from apps.core.listing import CappedPaginator


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


class CappedPagination(Pagination):
    """For lists over large tables: rows are counted only to `count_cap`, or to the page asked
    for (apps.core.listing.CappedPaginator). Past that, `count` is a lower bound and
    `count_capped` is true; follow `next` to the end (there is no "last" page to jump to)."""

    count_cap = 1000
    last_page_strings = ()

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param, 1)
        self.django_paginator_class = partial(CappedPaginator, cap=self.count_cap, number=number)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        response_schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when `count` is a lower bound (counting stopped there).",
        }
        return response_schema
