from django import forms
from django.utils.translation import gettext_lazy as _

from apps.workcalendar.models import CalendarDay


class YearFilterForm(forms.Form):
    q = forms.CharField(
        required=False, label=_("Year"), widget=forms.TextInput(attrs={"placeholder": _("Year")})
    )
    confirmed = forms.ChoiceField(
        required=False,
        label=_("Arrangement"),
        choices=[("", _("Confirmed or not")), ("yes", _("Confirmed")), ("no", _("Provisional"))],
    )


class YearAddForm(forms.Form):
    year = forms.IntegerField(
        label=_("Add a year"),
        help_text=_("Pre-filled from the holidays library (its estimate if not yet published)."),
    )


class YearUpdateForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("The published arrangement is entered (confirmed)"), required=False
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DayAddForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
