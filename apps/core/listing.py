"""Paging, sorting and filtering for every HTML list, so they all behave the same way."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

DEFAULT_PER_PAGE = 25
# Lists over tables that grow without bound count their rows only this far ("more than 1,000").
COUNT_CAP = 1000


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


class CappedPaginator(Paginator):
    """Counts the rows only as far as it needs to: an exact COUNT(*) of a filter that matches
    most of 200,000 rows costs more than the page itself.

    It counts up to one row past `cap`, or past the page asked for when that is further, so every
    page stays reachable and "Next" appears exactly when there is a next page. When that row
    exists `capped` is True and `count` is only a lower bound: lists say "more than
    `lower_bound`" and name no last page.
    """

    def __init__(self, object_list, per_page, *, cap: int, number=1, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        try:
            wanted = max(int(number), 1)
        except (TypeError, ValueError):
            wanted = 1
        self.lower_bound = max(cap, wanted * self.per_page)

    @cached_property
    def count(self) -> int:
        if self.lower_bound > 10_000_000:  # a page number no one reaches by paging: count all
            return super().count
        limit = self.lower_bound + 1
        if isinstance(self.object_list, QuerySet):
            # Only the primary keys, unordered: no join or sort the rows themselves need.
            return self.object_list.order_by().values("pk")[:limit].count()
        return len(self.object_list[:limit])

    @property
    def capped(self) -> bool:
        return self.count > self.lower_bound

    def get_page(self, number):
        """As Paginator.get_page, but a page number below 1 shows the first page when the last
        one is not known (a capped count)."""
        try:
            return self.page(self.validate_number(number))
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(1 if self.capped else self.num_pages)


def paginate(
    request, qs: QuerySet, per_page: int = DEFAULT_PER_PAGE, *, count_cap: int | None = None
):
    """One page of `qs`. With `count_cap`, the rows are counted only that far (CappedPaginator)."""
    number = request.GET.get("page")
    if count_cap is None:
        paginator = Paginator(qs, per_page)
    else:
        paginator = CappedPaginator(qs, per_page, cap=count_cap, number=number)
    return paginator.get_page(number)


def list_context(
    request,
    qs: QuerySet,
    *,
    sort_fields: dict[str, str],
    default_sort: str,
    per_page: int = DEFAULT_PER_PAGE,
    count_cap: int | None = None,
) -> dict:
    qs, sort = sort_queryset(request, qs, sort_fields, default_sort)
    page = paginate(request, qs, per_page, count_cap=count_cap)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "object_list": page.object_list,
        "sort": sort,
        "querystring": query.urlencode(),
    }
