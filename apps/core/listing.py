"""Paging, sorting and filtering for every HTML list, so they all behave the same way."""

from django.core.paginator import Paginator
from django.db.models import QuerySet

DEFAULT_PER_PAGE = 25


def sort_queryset(
    request, qs: QuerySet, allowed: dict[str, str], default: str
) -> tuple[QuerySet, str]:
    """`?sort=name` or `?sort=-name`, where `name` is a key of `allowed` (public name -> field)."""
    requested = request.GET.get("sort", default)
    key = requested.lstrip("-")
    if key not in allowed:
        requested, key = default, default.lstrip("-")
    field = allowed[key]
    descending = requested.startswith("-")
    return qs.order_by(f"-{field}" if descending else field, "pk"), requested


def paginate(request, qs: QuerySet, per_page: int = DEFAULT_PER_PAGE):
    paginator = Paginator(qs, per_page)
    return paginator.get_page(request.GET.get("page"))


def list_context(
    request,
    qs: QuerySet,
    *,
    sort_fields: dict[str, str],
    default_sort: str,
    per_page: int = DEFAULT_PER_PAGE,
) -> dict:
    qs, sort = sort_queryset(request, qs, sort_fields, default_sort)
    page = paginate(request, qs, per_page)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "object_list": page.object_list,
        "sort": sort,
        "querystring": query.urlencode(),
    }
