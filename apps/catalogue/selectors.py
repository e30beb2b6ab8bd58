"""Reads of the catalogue.

`catalogue_in_force`, `catalogue_entries_for`, `catalogue_entry_for` and `catalogue_check` answer
"is this item controlled on date D?" for the licensing code (an application is checked against the
catalogue as in force on its submission date). They are not scoped to a user: the catalogue is
published reference data. The `*_for(user)` selectors serve the catalogue pages.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.catalogue import permissions
from apps.catalogue.models import CatalogueEntry, in_force_q

_CODE = re.compile(r"^(?P<code>\d[A-Z]\d{3})(?:\.(?P<sub>[ABC]))?$")


def catalogue_in_force(on_date: date) -> QuerySet[CatalogueEntry]:
    """Every entry in force on `on_date` (effective, not expired, not suspended)."""
    return CatalogueEntry.objects.filter(in_force_q(on_date))


def normalise_query(code_or_hs: str) -> tuple[str, str, str]:
    """('control', '1C902', 'a') / ('control', '1C902', '') / ('hs', '2846901993', '') /
    ('', '', '') for input that is neither a control code nor a 10-digit HS code."""
    text = (code_or_hs or "").strip().upper().replace(" ", "")
    match = _CODE.match(text)
    if match:
        return "control", match["code"], (match["sub"] or "").lower()
    digits = text.replace(".", "")
    if digits.isdigit() and len(digits) == 10:
        return "hs", digits, ""
    return "", "", ""


def _matching(qs: QuerySet[CatalogueEntry], code_or_hs: str) -> list[CatalogueEntry]:
    kind, code, sub = normalise_query(code_or_hs)
    if kind == "control":
        qs = qs.filter(control_code=code)
        return list(qs.filter(sub_item=sub) if sub else qs)
    if kind == "hs":
        return [entry for entry in qs if code in entry.hs_codes]
    return []


def catalogue_entries_for(code_or_hs: str, on_date: date) -> list[CatalogueEntry]:
    """The entries in force on `on_date` matching a control code (`1C902`, `1C902.b`) or a
    10-digit HS code (dots and spaces ignored). An HS code can match several entries (the oxide
    mixture 2846901993 matches every `.b` entry); an empty list means "not controlled"."""
    return _matching(catalogue_in_force(on_date), code_or_hs)


def catalogue_entry_for(code_or_hs: str, on_date: date) -> CatalogueEntry | None:
    """The first matching entry in force on `on_date` (catalogue order), or None: not controlled."""
    matches = catalogue_entries_for(code_or_hs, on_date)
    return matches[0] if matches else None


@dataclass(frozen=True)
class CatalogueCheck:
    """The answer to "is this item controlled on that date?", with what a reviewer needs to see."""

    query: str
    on_date: date
    controlled: bool
    entries: tuple[CatalogueEntry, ...] = ()
    not_in_force: tuple[CatalogueEntry, ...] = field(default=(), repr=False)

    @property
    def flag(self) -> str:
        """A short note for a line that is not controlled (empty when it is)."""
        if self.controlled:
            return ""
        if self.not_in_force:
            refs = ", ".join(sorted({e.reference for e in self.not_in_force}))
            return f"{self.query}: listed ({refs}) but not in force on {self.on_date:%Y-%m-%d}"
        return f"{self.query}: not in the control catalogue on {self.on_date:%Y-%m-%d}"


def catalogue_check(code_or_hs: str, on_date: date) -> CatalogueCheck:
    """Check an application line's item against the catalogue as in force on `on_date`.

    Two queries at most. `not_in_force` lists entries that match but are suspended, expired or
    not yet effective on that date (e.g. the 2025 package suspended until 10 November 2026), so
    the flag can say why the item is not controlled.
    """
    entries = tuple(catalogue_entries_for(code_or_hs, on_date))
    if entries:
        return CatalogueCheck(code_or_hs, on_date, True, entries)
    others = tuple(_matching(CatalogueEntry.objects.exclude(in_force_q(on_date)), code_or_hs))
    return CatalogueCheck(code_or_hs, on_date, False, (), others)


STATUS_FILTERS = {"in_force", "suspended", "not_yet", "expired"}


def catalogue_entry_list_for(
    user,
    *,
    search: str = "",
    element: str = "",
    sub_item: str = "",
    status: str = "",
    on_date: date | None = None,
) -> QuerySet[CatalogueEntry]:
    """The catalogue pages' list, filtered; `status` is read on `on_date` (default: today)."""
    if not permissions.can_view_catalogue(user):
        return CatalogueEntry.objects.none()
    qs = CatalogueEntry.objects.all()
    if search:
        kind, code, _sub = normalise_query(search)
        if kind == "hs":
            qs = qs.filter(
                pk__in=[e.pk for e in CatalogueEntry.objects.all() if code in e.hs_codes]
            )
        else:
            qs = qs.filter(
                Q(name__icontains=search)
                | Q(element__icontains=search)
                | Q(symbol__iexact=search)
                | Q(control_code__icontains=code or search)
            )
    if element:
        qs = qs.filter(element=element)
    if sub_item:
        qs = qs.filter(sub_item=sub_item)
    if status in STATUS_FILTERS and on_date is not None:
        qs = qs.filter(_status_q(status, on_date))
    return qs


def _status_q(status: str, on_date: date) -> Q:
    not_expired = Q(effective_until__isnull=True) | Q(effective_until__gte=on_date)
    if status == "in_force":
        return in_force_q(on_date)
    if status == "not_yet":
        return Q(effective_from__gt=on_date)
    if status == "expired":
        return Q(effective_until__lt=on_date)
    return Q(effective_from__lte=on_date, suspended_until__gte=on_date) & not_expired


def catalogue_elements_for(user) -> list[tuple[str, str]]:
    """(element, symbol) pairs for the element filter."""
    if not permissions.can_view_catalogue(user):
        return []
    return list(
        CatalogueEntry.objects.order_by("element").values_list("element", "symbol").distinct()
    )


def catalogue_entry_get_for(user, pk: int) -> CatalogueEntry:
    try:
        return catalogue_entry_list_for(user).get(pk=pk)
    except CatalogueEntry.DoesNotExist:
        raise Http404 from None


def catalogue_entry_ids_for_element(element: str) -> QuerySet[CatalogueEntry]:
    """The ids of every entry (any period) for an element symbol, as a subquery: lists filter
    their lines by `catalogue_entry_id IN (...)` on an index instead of joining the catalogue
    for each of 200,000 rows."""
    return CatalogueEntry.objects.filter(symbol=element).values("pk")
