"""Input shapes only: the rules live in validation.py and are the same for every way in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import CatalogueEntry, ItemForm
from apps.clients import selectors as clients_selectors
from apps.licensing.models import Licence
from apps.transactions.models import ImportBatch, Incoterm, TransactionReport
from apps.transactions.units import UNITS
from apps.transactions.validation import LineInput, ReportInput

DATE = forms.DateInput(attrs={"type": "date"})


class ReportForm(forms.Form):
    reference = forms.CharField(label=_("Your reference"), max_length=60, required=False)
    licence = forms.ChoiceField(label=_("Licence"), required=False)
    purchaser = forms.ChoiceField(label=_("Purchaser"))
    consignee = forms.ChoiceField(label=_("Consignee"))
    end_user = forms.ChoiceField(label=_("End user"))
    incoterm = forms.ChoiceField(label=_("Incoterm (2020)"), choices=Incoterm.choices)
    contract_date = forms.DateField(label=_("Contract date"), widget=DATE)
    loading_date = forms.DateField(label=_("Loading date"), widget=DATE)
    departure_date = forms.DateField(label=_("Departure date"), widget=DATE)
    arrival_date = forms.DateField(label=_("Arrival date"), widget=DATE)
    origin = forms.CharField(label=_("Origin"), max_length=100)
    destination_country = forms.CharField(
        label=_("Destination country"), max_length=2, help_text=_("ISO 3166 code, e.g. DE")
    )
    port_of_clearance = forms.CharField(label=_("Port of customs clearance"), max_length=100)
    customs_declaration_number = forms.CharField(
        label=_("Customs declaration number"),
        max_length=18,
        help_text=_("18 digits: customs office (4), year (4), 0 for export, serial (9)"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        clients = [
            (str(c.pk), f"{c.legal_name} ({c.country.code})")
            for c in clients_selectors.client_list_for(user).order_by("legal_name")
        ]
        for name in ("purchaser", "consignee", "end_user"):
            self.fields[name].choices = [("", "—"), *clients]
        licences = Licence.objects.filter(
            organisation_id=user.membership.organisation_id, status="active"
        ).order_by("-issued_on")
        self.fields["licence"].choices = [
            ("", _("None: the items are not controlled")),
            *[(lic.number, f"{lic.number} → {lic.destination_country}") for lic in licences],
        ]


class CorrectionForm(ReportForm):
    """The new-report form, prefilled from the report it replaces, with the reason required.

    The replaced report's licence and clients stay choosable whatever their state, so that the
    rules (validation.py) refuse them with the same message as anywhere else ("Licence ... is
    suspended", "... is archived in your client book") rather than "not a valid choice"."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with the reversing entry and on the new report."),
        error_messages={"required": _("Give the reason for the correction.")},
    )

    def __init__(self, *args, report: TransactionReport, **kwargs):
        kwargs.setdefault("initial", initial_from(report))
        super().__init__(*args, **kwargs)
        for name in ("purchaser", "consignee", "end_user"):
            client = getattr(report, name)
            choices = list(self.fields[name].choices)
            if str(client.pk) not in {value for value, _label in choices}:
                label = f"{client.legal_name} ({client.country.code})"
                if client.archived_at:
                    label = _("%(client)s — archived") % {"client": label}
                self.fields[name].choices = [*choices, (str(client.pk), label)]
        licence = report.licence
        choices = list(self.fields["licence"].choices)
        if licence is not None and licence.number not in {value for value, _label in choices}:
            label = (
                f"{licence.number} → {licence.destination_country} ({licence.get_status_display()})"
            )
            self.fields["licence"].choices = [*choices, (licence.number, label)]


def initial_from(report: TransactionReport) -> dict:
    return {
        "reference": report.reference,
        "licence": report.licence.number if report.licence else "",
        "purchaser": str(report.purchaser_id),
        "consignee": str(report.consignee_id),
        "end_user": str(report.end_user_id),
        "incoterm": report.incoterm,
        "contract_date": report.contract_date,
        "loading_date": report.loading_date,
        "departure_date": report.departure_date,
        "arrival_date": report.arrival_date,
        "origin": report.origin,
        "destination_country": report.destination_country,
        "port_of_clearance": report.port_of_clearance,
        "customs_declaration_number": report.customs_declaration_number,
    }


def lines_from(report: TransactionReport) -> list[dict]:
    return [
        {
            "item": str(line.catalogue_entry_id),
            "form": line.form,
            "quantity": line.quantity,
            "unit": line.unit,
            "value": line.value,
            "currency": line.currency,
            "hs_code": line.hs_code,
        }
        for line in report.lines.order_by("position")
    ]


class LineForm(forms.Form):
    item = forms.ChoiceField(label=_("Catalogue item"))
    form = forms.ChoiceField(label=_("Form"), choices=ItemForm.choices)
    quantity = forms.CharField(label=_("Quantity"), max_length=30)
    unit = forms.ChoiceField(label=_("Unit"), choices=[(u, u) for u in UNITS])
    value = forms.CharField(label=_("Value"), max_length=30)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    hs_code = forms.CharField(label=_("HS code"), max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + [
            (str(e.pk), f"{e.reference} {e.name}") for e in CatalogueEntry.objects.all()
        ]

    def has_changed(self) -> bool:
        """A spare line is blank when no item, quantity or value was entered (its unit and
        currency keep their defaults)."""
        return any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name in ("item", "quantity", "value")
        )


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data for f in self.forms):
            raise forms.ValidationError(_("Report at least one line."))


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=3, max_num=10)


class PrefilledLineFormSet(BaseLineFormSet):
    """Lines prefilled from a report (`initial`), each of which may be blanked out to drop it,
    as a spare line is: none of them counts as an "initial" form that must stay filled."""

    def initial_form_count(self) -> int:
        return 0

    def total_form_count(self) -> int:
        if self.is_bound:
            return super().total_form_count()
        return min(len(self.initial or ()) + self.extra, self.max_num)


CorrectionLineFormSet = forms.formset_factory(
    LineForm, formset=PrefilledLineFormSet, extra=2, max_num=10
)


def to_input(form: ReportForm, lines) -> ReportInput:
    data = form.cleaned_data
    return ReportInput(
        reference=data["reference"],
        licence=data["licence"],
        purchaser=int(data["purchaser"]),
        consignee=int(data["consignee"]),
        end_user=int(data["end_user"]),
        incoterm=data["incoterm"],
        contract_date=data["contract_date"],
        loading_date=data["loading_date"],
        departure_date=data["departure_date"],
        arrival_date=data["arrival_date"],
        origin=data["origin"],
        destination_country=data["destination_country"],
        port_of_clearance=data["port_of_clearance"],
        customs_declaration_number=data["customs_declaration_number"],
        lines=[
            LineInput(
                item=int(f.cleaned_data["item"]),
                form=f.cleaned_data["form"],
                quantity=f.cleaned_data["quantity"],
                unit=f.cleaned_data["unit"],
                value=f.cleaned_data["value"],
                currency=f.cleaned_data["currency"],
                hs_code=f.cleaned_data["hs_code"],
            )
            for f in lines.forms
            if f.cleaned_data
        ],
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    licence = forms.CharField(label=_("Licence"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *TransactionReport.Status.choices],
    )
    destination = forms.CharField(label=_("Destination"), required=False, max_length=2)
    date_from = forms.DateField(label=_("Loaded from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("placeholder", field.label)
            field.widget.attrs.setdefault("aria-label", field.label)
            if name == "q":
                field.widget.attrs["placeholder"] = _("Reference, TR number, end user")


class BatchFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ImportBatch.Status.choices],
    )


class OfficialSearchForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Producer"), required=False)
    element = forms.ChoiceField(label=_("Element"), required=False)
    entity = forms.IntegerField(label=_("Client entity id"), required=False, min_value=1)
    destination = forms.CharField(label=_("Destination"), required=False, max_length=2)
    licence = forms.CharField(label=_("Licence"), required=False)
    date_from = forms.DateField(label=_("Loaded from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE)
    kg_min = forms.DecimalField(label=_("Min kg"), required=False, min_value=0)
    kg_max = forms.DecimalField(label=_("Max kg"), required=False, min_value=0)
    flagged = forms.ChoiceField(
        label=_("Flags"),
        required=False,
        choices=[
            ("", _("Flagged or not")),
            ("any", _("Any flag")),
            ("destination", _("Destination differs")),
            ("end_user", _("End user not on licence")),
            ("listed", _("Listed party")),
            ("late", _("Filed late")),
        ],
    )

    def __init__(self, *args, organisations=(), elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Any producer")), *organisations]
        self.fields["element"].choices = [("", _("Any element")), *elements]
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)
            field.widget.attrs.setdefault("placeholder", field.label)


class EntityTotalsForm(forms.Form):
    q = forms.CharField(label=_("Entity"), required=False)
    element = forms.ChoiceField(label=_("Element"), required=False)
    date_from = forms.DateField(label=_("Loaded from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [("", _("Any element")), *elements]
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)
            field.widget.attrs.setdefault("placeholder", field.label)
