from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import STATUS_LABELS, CatalogueEntry, ItemForm, SubItem
from apps.catalogue.services import EntryData, parse_hs_codes

DATE_INPUT = djforms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CatalogueFilterForm(djforms.Form):
    q = djforms.CharField(
        required=False,
        label=_("Search"),
        widget=djforms.TextInput(attrs={"placeholder": _("Code, HS code, element, description")}),
    )
    element = djforms.ChoiceField(required=False, label=_("Element"))
    sub_item = djforms.ChoiceField(
        required=False, label=_("Sub-item"), choices=[("", _("Any sub-item")), *SubItem.choices]
    )
    status = djforms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("Any status")), *STATUS_LABELS.items()],
    )
    on = djforms.DateField(required=False, label=_("On date"), widget=DATE_INPUT)

    def __init__(self, *args, elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [("", _("Any element"))] + [
            (element, f"{element.capitalize()} ({symbol})") for element, symbol in elements
        ]


class CatalogueEntryForm(djforms.Form):
    """Input shape only; the rules (code format, HS digits, date order) live in the service."""

    control_code = djforms.CharField(
        label=_("Control code"), max_length=5, help_text=_("For example 1C902.")
    )
    sub_item = djforms.ChoiceField(label=_("Sub-item"), choices=SubItem.choices)
    element = djforms.CharField(label=_("Element"), max_length=40)
    symbol = djforms.CharField(label=_("Symbol"), max_length=3)
    name = djforms.CharField(label=_("Description"), max_length=200)
    forms = djforms.MultipleChoiceField(
        label=_("Allowed forms"),
        choices=ItemForm.choices,
        widget=djforms.CheckboxSelectMultiple,
    )
    hs_codes = djforms.CharField(
        label=_("Reference HS codes"),
        required=False,
        widget=djforms.Textarea(attrs={"rows": 2}),
        help_text=_("10 digits each; one per line or separated by commas."),
    )
    effective_from = djforms.DateField(label=_("Effective from"), widget=DATE_INPUT)
    effective_until = djforms.DateField(
        label=_("Effective until"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Last day in force; empty while the control lasts."),
    )
    suspended_until = djforms.DateField(
        label=_("Suspended until"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Not in force up to and including this day."),
    )
    notes = djforms.CharField(
        label=_("Notes"), required=False, widget=djforms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_for(cls, entry: CatalogueEntry) -> dict:
        initial = {f: getattr(entry, f) for f in cls.base_fields}
        initial["hs_codes"] = "\n".join(entry.hs_codes)
        return initial

    def to_data(self) -> EntryData:
        data = dict(self.cleaned_data)
        data["hs_codes"] = parse_hs_codes(data["hs_codes"])
        return EntryData(**data)
