"""Input shapes for the HTML pages; the services hold the rules (duplicates, cycles, countries)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from apps.clients.models import (
    ListKind,
    PartyRole,
    RegistrationKind,
    ScreeningHit,
    ScreeningStatus,
    Sector,
)


def _country_choices(blank_label=None):
    return [
        ("", blank_label or _("Choose a country")),
        *[(code, f"{name} ({code})") for code, name in countries],
    ]


UNKNOWN_COUNTRY = _("Unknown country: choose one from the list (ISO 3166 code).")


class ClientForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name (Latin script)"), max_length=200)
    native_name = forms.CharField(
        label=_("Name in native script"),
        max_length=200,
        required=False,
        help_text=_("As registered, e.g. 株式会社… or Общество…"),
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Former names, trade names, other spellings: one a line."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=_country_choices,
        error_messages={"invalid_choice": UNKNOWN_COUNTRY},
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=64, required=False
    )
    registration_kind = forms.ChoiceField(
        label=_("Kind of registration number"),
        choices=[("", "---------"), *RegistrationKind.choices],
        required=False,
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "---------"), *Sector.choices])
    roles = forms.MultipleChoiceField(
        label=_("Roles this client can play"),
        choices=PartyRole.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role this client plays.")},
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    parent = forms.ModelChoiceField(
        label=_("Parent company"),
        queryset=None,
        required=False,
        help_text=_("Another client in your book that owns a share of this one."),
    )
    ownership_pct = forms.DecimalField(
        label=_("Share owned by the parent (%)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=0.01,
        max_value=100,
    )

    def __init__(self, *args, parent_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_queryset

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("parent") and cleaned.get("ownership_pct") is None:
            self.add_error("ownership_pct", _("Give the share the parent company owns (in %)."))
        if cleaned.get("ownership_pct") is not None and not cleaned.get("parent"):
            self.add_error("parent", _("Choose the parent company that owns this share."))
        return cleaned

    @staticmethod
    def initial_for(client) -> dict:
        return {
            "legal_name": client.legal_name,
            "native_name": client.native_name,
            "aliases": "\n".join(client.aliases),
            "country": client.country.code,
            "registration_number": client.registration_number,
            "registration_kind": client.registration_kind,
            "sector": client.sector,
            "roles": client.roles,
            "address": client.address,
            "website": client.website,
            "contact_name": client.contact_name,
            "contact_email": client.contact_email,
            "contact_phone": client.contact_phone,
            "parent": client.parent_id,
            "ownership_pct": client.ownership_pct,
        }


class ClientFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or registration number")}),
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: _country_choices(_("Any country")), required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Any sector")), *Sector.choices], required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role")), *PartyRole.choices], required=False
    )
    screening = forms.ChoiceField(
        label=_("Screening"),
        choices=[("", _("Any screening status")), *ScreeningStatus.choices],
        required=False,
    )
    archived = forms.BooleanField(label=_("Archived clients"), required=False)


class EntityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or registration number")}),
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: _country_choices(_("Any country")), required=False
    )


class EntityMergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Merge into entity number"),
        min_value=1,
        help_text=_("All records of this entity move to the entity with this number."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EntitySplitForm(forms.Form):
    client = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class HitFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ScreeningHit.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("List"), choices=[("", _("Both lists")), *ListKind.choices], required=False
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Client or listed name")}),
    )


class HitDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("dismiss", _("Dismiss"))])
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ListEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"), choices=ListKind.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Other names and spellings, in any script: one a line."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=lambda: _country_choices(_("Unknown / several")),
        required=False,
        error_messages={"invalid_choice": UNKNOWN_COUNTRY},
    )
    identifiers = forms.CharField(
        label=_("Identifiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Registration, tax or LEI numbers: one a line."),
    )
    reason = forms.CharField(
        label=_("Reason for listing"), widget=forms.Textarea(attrs={"rows": 3})
    )
    listed_on = forms.DateField(
        label=_("Listed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delisted_on = forms.DateField(
        label=_("Delisted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Set to take the party off the list; the entry itself is kept."),
    )

    @staticmethod
    def initial_for(entry) -> dict:
        return {
            "kind": entry.kind,
            "name": entry.name,
            "aliases": "\n".join(entry.aliases),
            "country": entry.country.code if entry.country else "",
            "identifiers": "\n".join(entry.identifiers),
            "reason": entry.reason,
            "listed_on": entry.listed_on,
            "delisted_on": entry.delisted_on,
        }


class ListEntryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("List"), choices=[("", _("Both lists")), *ListKind.choices], required=False
    )
    in_force = forms.ChoiceField(
        label=_("In force"),
        choices=[("", _("Listed and delisted")), ("yes", _("In force")), ("no", _("Delisted"))],
        required=False,
    )


class ListImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "UTF-8 CSV with the columns kind, name, aliases, country, identifiers, reason, "
            "listed_on, delisted_on. Aliases and identifiers are separated by “;”."
        ),
    )
    payload = forms.CharField(required=False, widget=forms.HiddenInput)
    filename = forms.CharField(required=False, widget=forms.HiddenInput)
    step = forms.ChoiceField(
        choices=[("preview", "preview"), ("commit", "commit")], widget=forms.HiddenInput
    )
