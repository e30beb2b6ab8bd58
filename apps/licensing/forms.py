"""Producers' input shapes for licensing pages. Shape and per-field messages only: the services
hold the rules (state, ownership, completeness)."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from apps.catalogue.models import ItemForm
from apps.catalogue.selectors import catalogue_in_force
from apps.clients.models import PartyRole
from apps.clients.selectors import client_list_for
from apps.licensing.currencies import CURRENCY_CHOICES
from apps.licensing.models import (
    DocumentKind,
    EndUseSector,
    LicenceType,
    PaymentMethod,
    TradeMode,
    TransportMode,
    Unit,
)
from apps.licensing.workflow import ApplicationStatus, LicenceStatus

BLANK = [("", "---------")]
HS_CODE = RegexValidator(r"^\d{10}$", _("Give the 10-digit HS code, digits only."))


def _country_choices(blank_label=None):
    return [("", blank_label or _("Choose a country")), *[(c, f"{n} ({c})") for c, n in countries]]


class HeaderForm(forms.Form):
    """The application header. Drafts may be incomplete: only the licence type is required now;
    the completeness panel and submission ask for the rest."""

    licence_type = forms.ChoiceField(
        label=_("Licence type"),
        choices=[*BLANK, *LicenceType.choices],
        error_messages={"required": _("Choose single or general.")},
    )
    contract_number = forms.CharField(label=_("Contract number"), max_length=100, required=False)
    contract_date = forms.DateField(
        label=_("Contract date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )
    trade_mode = forms.ChoiceField(
        label=_("Trade mode"), choices=[*BLANK, *TradeMode.choices], required=False
    )
    payment_method = forms.ChoiceField(
        label=_("Payment method"), choices=[*BLANK, *PaymentMethod.choices], required=False
    )
    transport_mode = forms.ChoiceField(
        label=_("Transport mode"), choices=[*BLANK, *TransportMode.choices], required=False
    )
    port_of_exit = forms.CharField(label=_("Port of exit"), max_length=100, required=False)
    destination_country = forms.ChoiceField(
        label=_("Destination country"),
        choices=_country_choices,
        required=False,
        error_messages={"invalid_choice": _("Unknown country: choose one from the list.")},
    )
    final_destination = forms.CharField(
        label=_("Final destination"),
        max_length=200,
        required=False,
        help_text=_("City and site where the goods will be used."),
    )
    end_use = forms.CharField(
        label=_("End use"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    end_use_sector = forms.ChoiceField(
        label=_("End-use sector"), choices=[*BLANK, *EndUseSector.choices], required=False
    )

    def clean_contract_date(self):
        value = self.cleaned_data.get("contract_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The contract date cannot be in the future."))
        return value

    @classmethod
    def initial_for(cls, app) -> dict:
        return {name: getattr(app, name) for name in cls.base_fields}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name, value in data.items():
            if value is None and name != "contract_date":
                data[name] = ""
        return data


class LineForm(forms.Form):
    """One line item. The item is chosen from the catalogue in force today."""

    catalogue_entry = forms.ModelChoiceField(
        label=_("Controlled item"),
        queryset=None,
        empty_label=_("Choose the item"),
        error_messages={
            "required": _("Choose the controlled item."),
            "invalid_choice": _("This item is not in the catalogue in force today."),
        },
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=[*BLANK, *ItemForm.choices],
        error_messages={"required": _("Choose the form of the goods.")},
    )
    element_content_pct = forms.DecimalField(
        label=_("Element content (%)"),
        required=False,
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=18,
        decimal_places=3,
        min_value=Decimal("0.001"),
        error_messages={"min_value": _("The quantity must be positive.")},
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.KG)
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages={"min_value": _("The unit price cannot be negative.")},
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="USD")
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=10,
        validators=[HS_CODE],
        help_text=_("10 digits, e.g. 2805301200 for dysprosium metal."),
    )
    specification = forms.CharField(label=_("Specification"), max_length=300, required=False)

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue_entry"].queryset = catalogue_in_force(
            today or timezone.localdate()
        ).order_by("control_code", "sub_item", "name")

    def clean_hs_code(self):
        return self.cleaned_data["hs_code"].replace(".", "").replace(" ", "")

    def clean(self):
        data = super().clean()
        entry, form = data.get("catalogue_entry"), data.get("form")
        if entry is not None and form and entry.forms and form not in entry.forms:
            allowed = ", ".join(str(ItemForm(f).label).lower() for f in entry.forms)
            self.add_error(
                "form",
                _("%(item)s is exported as %(allowed)s.") % {"item": entry, "allowed": allowed},
            )
        return data

    @staticmethod
    def initial_for(line) -> dict:
        return {
            "catalogue_entry": line.catalogue_entry_id,
            "form": line.form,
            "element_content_pct": line.element_content_pct,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "currency": line.currency,
            "hs_code": line.hs_code,
            "specification": line.specification,
        }


PARTY_FIELDS = {
    "purchaser": PartyRole.PURCHASER,
    "intermediate_consignee": PartyRole.INTERMEDIATE_CONSIGNEE,
    "consignee": PartyRole.CONSIGNEE,
    "end_user": PartyRole.END_USER,
}


class PartiesForm(forms.Form):
    """One client per role, each select limited to the company's active clients who can play it.
    All optional while drafting; the completeness panel names the missing ones."""

    purchaser = forms.ModelChoiceField(label=_("Purchaser"), queryset=None, required=False)
    intermediate_consignee = forms.ModelChoiceField(
        label=_("Intermediate consignee"),
        queryset=None,
        required=False,
        help_text=_("Only when the goods pass through a party before the consignee."),
    )
    consignee = forms.ModelChoiceField(label=_("Consignee"), queryset=None, required=False)
    end_user = forms.ModelChoiceField(label=_("End user"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, role in PARTY_FIELDS.items():
            field = self.fields[name]
            field.queryset = client_list_for(user, role=role).order_by("legal_name")
            field.empty_label = _("— none —")
            field.error_messages["invalid_choice"] = _(
                "Choose a client of your book recorded as a possible %(role)s."
            ) % {"role": PartyRole(role).label.lower()}
            field.label_from_instance = lambda c: f"{c.legal_name} ({c.country.code})"

    @staticmethod
    def initial_for(app) -> dict:
        return {
            name: next((p.client_id for p in app.parties.all() if p.role == role), None)
            for name, role in PARTY_FIELDS.items()
        }

    def service_parties(self) -> list[tuple[int, str]]:
        return [
            (client.pk, PARTY_FIELDS[name])
            for name, client in self.cleaned_data.items()
            if client is not None
        ]


UPLOAD_KINDS = [(k, label) for k, label in DocumentKind.choices if k != DocumentKind.RFI_ANSWER]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[*BLANK, *UPLOAD_KINDS],
        error_messages={"required": _("Choose the kind of document.")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG."),
        error_messages={"required": _("Choose a file to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RfiAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your answer.")},
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG or JPEG; you may choose several files."),
    )


class AmendmentForm(forms.Form):
    """Non-key elements only: a change of item, destination, end user or end use needs a new
    application, so the form does not offer them."""

    port_of_exit = forms.CharField(label=_("New port of exit"), max_length=100, required=False)
    transport_mode = forms.ChoiceField(
        label=_("New transport mode"), choices=[*BLANK, *TransportMode.choices], required=False
    )
    valid_until = forms.DateField(
        label=_("New end of validity"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )
    justification = forms.CharField(
        label=_("Why the change is needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Explain why.")},
    )

    def __init__(self, *args, licence, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence = licence

    def clean(self):
        data = super().clean()
        changes = {}
        if data.get("port_of_exit") and data["port_of_exit"].strip() != self.licence.port_of_exit:
            changes["port_of_exit"] = data["port_of_exit"].strip()
        if data.get("transport_mode") and data["transport_mode"] != self.licence.transport_mode:
            changes["transport_mode"] = data["transport_mode"]
        if data.get("valid_until") and data["valid_until"] != self.licence.valid_until:
            changes["valid_until"] = data["valid_until"]
        if not changes and not self.errors:
            raise forms.ValidationError(
                _("Change at least one of: port of exit, transport mode, end of validity.")
            )
        self.changes = changes
        return data


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Reference, contract, destination, end use")}
        ),
        label=_("Search"),
    )
    status = forms.ChoiceField(
        required=False, choices=[("", _("Any status")), *ApplicationStatus.choices]
    )
    licence_type = forms.ChoiceField(
        required=False, choices=[("", _("Any licence type")), *LicenceType.choices]
    )
    destination = forms.ChoiceField(
        required=False, choices=lambda: _country_choices(_("Any destination"))
    )


class LicenceFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Licence number")}),
        label=_("Search"),
    )
    status = forms.ChoiceField(
        required=False, choices=[("", _("Any status")), *LicenceStatus.choices]
    )
    licence_type = forms.ChoiceField(
        required=False, choices=[("", _("Any licence type")), *LicenceType.choices]
    )
    destination = forms.ChoiceField(
        required=False, choices=lambda: _country_choices(_("Any destination"))
    )
