"""The dataset registry: one entry per kind of record auditors browse and export.

An app adds a module `apps/<app>/exports.py` that calls `register(Dataset(...))`; it is imported
when Django starts (`autodiscover`), and the auditor workspace then lists, filters, sorts, pages
and exports the new dataset in CSV, JSON Lines and XLSX with no other change:

    register(Dataset(
        name="licences", label=_("Licences"), model="licensing.Licence",
        columns=(Column("number", "number", _("Number"), kind="code"),
                 Column("holder", "holder__legal_name", _("Holder")), ...),
        filters=(*date_range("issued_at"), producer("holder_id"), status("status", choices),
                 element("catalogue_entry__element", related="lines"),
                 destination("destination_country")),
        search=("number", "holder__legal_name"),
    ))

Column kinds decide how a value is written: "text" (free text: formula cells neutralised),
"code" (a value the models validate to start with a letter or digit and to hold no quotes,
backslashes or control characters: ISO codes, statuses, HS codes, numbers of records; written
as it is, which keeps large exports fast), "number", "bool", "date", "datetime" and "json".

A filter on a to-many relation (a licence's lines) names it as `related`: a row is kept when
one of its related rows matches (EXISTS), so a licence with two matching lines is one row.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.apps import apps as django_apps
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, Greatest, Length, LPad
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError

KINDS = {"text", "code", "number", "bool", "date", "datetime", "json"}


@dataclass(frozen=True)
class Column:
    name: str  # header in CSV / XLSX, key in JSON Lines
    lookup: str  # ORM path from the dataset's model
    label: Any = ""
    kind: str = "text"
    sortable: bool = True

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.name}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Filter:
    name: str  # query parameter and manifest key
    label: Any
    lookup: str
    kind: str = "text"  # text | choice | date_from | date_to | producer | search
    choices: Callable[[], Iterable[tuple[str, str]]] | tuple = ()
    search_lookups: tuple[str, ...] = ()
    related: str = ""  # a to-many relation of the model: `lookup` is then from its rows

    def form_field(self) -> forms.Field:
        if self.kind in {"date_from", "date_to"}:
            return forms.DateField(
                label=self.label,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        if self.kind == "producer":
            return forms.TypedChoiceField(
                label=self.label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=_producer_choices,
            )
        if self.kind == "choice":
            return forms.ChoiceField(
                label=self.label,
                required=False,
                choices=lambda: [("", _("All")), *_call(self.choices)],
            )
        return forms.CharField(label=self.label, required=False, max_length=200)

    def apply(self, qs: QuerySet, value: Any) -> QuerySet:
        if self.kind == "search":
            condition = Q()
            for lookup in self.search_lookups:
                condition |= Q(**{f"{lookup}__icontains": value})
            return qs.filter(condition)
        if self.kind in {"date_from", "date_to"}:
            day = date.fromisoformat(value)
            if self.kind == "date_to":
                day += timedelta(days=1)
            bound = _day_start(qs, self.lookup, day)
            suffix = "gte" if self.kind == "date_from" else "lt"
            return qs.filter(**{f"{self.lookup}__{suffix}": bound})
        if self.related:
            return qs.filter(_exists(qs.model, self.related, Q(**{self.lookup: value})))
        return qs.filter(**{self.lookup: value})


def _exists(model, related: str, condition: Q) -> Exists:
    """EXISTS (a related row that meets `condition`): a join would repeat the row per match."""
    relation = model._meta.get_field(related)
    rows = relation.related_model._default_manager.filter(
        condition, **{relation.field.name: OuterRef("pk")}
    )
    return Exists(rows)


def padded_reference(prefix: str, digits: int, lookup: str = "pk"):
    """`prefix` + the id zero-padded to `digits` in SQL, as the models print it (APP-0000042);
    an id longer than `digits` is written whole, as Python's format does."""
    text = Cast(lookup, CharField())
    return Concat(
        Value(prefix),
        LPad(text, Greatest(Value(digits), Length(text)), Value("0")),
        output_field=CharField(),
    )


def _call(value):
    return value() if callable(value) else value


def _producer_choices():
    from apps.accounts.models import Organisation

    return [("", _("All producers"))] + [
        (str(pk), name) for pk, name in Organisation.objects.values_list("pk", "legal_name")
    ]


def element_choices():
    """The elements of the catalogue (every entry, in force or not: old records name old ones)."""
    from apps.catalogue.models import CatalogueEntry

    elements = CatalogueEntry.objects.order_by("element").values_list("element", flat=True)
    return [(e, e.capitalize()) for e in elements.distinct()]


def country_choices():
    from django_countries import countries

    return [(code, name) for code, name in countries]


def _day_start(qs: QuerySet, lookup: str, day: date):
    """Midnight of `day` in the portal's time zone for datetime fields, the date for date fields."""
    if _resolve_field(qs.model, lookup).get_internal_type() == "DateField":
        return day
    return timezone.make_aware(datetime.combine(day, time.min))


def _resolve_field(model, lookup: str):
    *path, last = lookup.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(last)


def date_range(lookup: str, label_from=None, label_to=None) -> tuple[Filter, Filter]:
    return (
        Filter("date_from", label_from or gettext_lazy("From"), lookup, "date_from"),
        Filter("date_to", label_to or gettext_lazy("To"), lookup, "date_to"),
    )


def producer(lookup: str) -> Filter:
    return Filter("producer", gettext_lazy("Producer"), lookup, "producer")


def status(lookup: str, choices) -> Filter:
    return Filter("status", gettext_lazy("Status"), lookup, "choice", choices=choices)


def element(lookup: str, choices=element_choices, related: str = "") -> Filter:
    kind = "choice" if choices else "text"
    return Filter(
        "element", gettext_lazy("Element"), lookup, kind, choices=choices, related=related
    )


def destination(lookup: str, choices=country_choices, label=None) -> Filter:
    kind = "choice" if choices else "text"
    return Filter(
        "destination", label or gettext_lazy("Destination"), lookup, kind, choices=choices
    )


def search(*lookups: str, label=None) -> Filter:
    return Filter("q", label or gettext_lazy("Search"), "", "search", search_lookups=tuple(lookups))


@dataclass(frozen=True)
class Dataset:
    name: str  # URL slug and file name part
    label: Any
    model: str  # "app_label.ModelName"
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    order_by: tuple[str, ...] = ("pk",)
    default_sort: str = ""  # a column name, "-" for descending; the list view's default
    prepare: Callable[[QuerySet], QuerySet] | None = None  # select_related / base filters
    description: Any = ""
    timeline: bool = True  # rows link to the per-object timeline of the audit trail

    def get_model(self):
        return django_apps.get_model(self.model)

    def base_queryset(self) -> QuerySet:
        """Every row: auditors see all companies' records (the views check the role)."""
        qs = self.get_model()._default_manager.all()
        return self.prepare(qs) if self.prepare else qs

    def filter_form(self, data=None) -> forms.Form:
        form_fields = {f.name: f.form_field() for f in self.filters}
        form_class = type(f"{self.name.title()}FilterForm", (forms.Form,), form_fields)
        return form_class(data)

    def clean_filters(self, raw: dict) -> dict:
        """Validated filters as JSON values (they go into the manifest and the audit event)."""
        form = self.filter_form({k: v for k, v in raw.items() if k in self.filter_names()})
        if not form.is_valid():
            raise DomainError(
                _("Some filters are not valid; nothing was exported."),
                field_errors={k: list(v) for k, v in form.errors.items()},
            )
        cleaned = {}
        for name, value in form.cleaned_data.items():
            if value in (None, ""):
                continue
            cleaned[name] = value.isoformat() if isinstance(value, date) else value
        if (
            "date_from" in cleaned
            and "date_to" in cleaned
            and cleaned["date_from"] > cleaned["date_to"]
        ):
            raise DomainError(
                _("The start date is after the end date."),
                field_errors={"date_to": [_("Choose a date on or after the start date.")]},
            )
        return cleaned

    def filter_names(self) -> set[str]:
        return {f.name for f in self.filters}

    def filtered(self, cleaned: dict) -> QuerySet:
        qs = self.base_queryset()
        for flt in self.filters:
            if flt.name in cleaned:
                qs = flt.apply(qs, cleaned[flt.name])
        return qs

    def rows(self, cleaned: dict) -> QuerySet:
        """The export query: one aliased value per column (c0, c1 ...), in a stable order."""
        return (
            self.filtered(cleaned)
            .order_by(*self.order_by)
            .values(**{f"c{i}": F(col.lookup) for i, col in enumerate(self.columns)})
        )

    def sort_fields(self) -> dict[str, str]:
        return {c.name: c.lookup for c in self.columns if c.sortable}


_REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.name in _REGISTRY and _REGISTRY[dataset.name] != dataset:
        raise ValueError(f"Dataset {dataset.name!r} is registered twice.")
    _REGISTRY[dataset.name] = dataset
    return dataset


def get(name: str) -> Dataset:
    return _REGISTRY[name]


def all_datasets() -> list[Dataset]:
    return sorted(_REGISTRY.values(), key=lambda d: str(d.label))


def autodiscover() -> None:
    autodiscover_modules("exports")
