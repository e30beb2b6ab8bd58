"""Input shapes of the officials' pages. Rules (states, four-eyes, limits) live in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.licensing.models import Amendment, EndUseSector, Recommendation
from apps.licensing.workflow import ApplicationStatus, LicenceStatus

DAYS_LEFT_CHOICES = [
    ("", _("Any")),
    ("overdue", _("Overdue")),
    ("5", _("≤ 5 working days")),
    ("10", _("≤ 10 working days")),
    ("20", _("≤ 20 working days")),
]
ASSIGNEE_FIXED = [("", _("Anyone")), ("me", _("Me")), ("none", _("Unassigned"))]
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open cases"))]
        + [c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
    )
    element = forms.ChoiceField(label=_("Element"), required=False)
    destination = forms.CharField(label=_("Destination"), required=False, max_length=2)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any")), *EndUseSector.choices]
    )
    fast_track = forms.ChoiceField(label=_("Fast track"), required=False, choices=YES_NO)
    days_left = forms.ChoiceField(label=_("Days left"), required=False, choices=DAYS_LEFT_CHOICES)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    company = forms.ChoiceField(label=_("Company"), required=False)

    def __init__(self, *args, elements=(), reviewers=(), companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [("", _("Any")), *elements]
        self.fields["assignee"].choices = [
            *ASSIGNEE_FIXED,
            *[(str(pk), name) for pk, name in reviewers],
        ]
        self.fields["company"].choices = [
            ("", _("Any")),
            *[(str(pk), name) for pk, name in companies],
        ]
        self.fields["destination"].widget.attrs.update({"placeholder": "DE", "size": 3})

    def clean_destination(self) -> str:
        return self.cleaned_data["destination"].strip().upper()


class LicenceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *LicenceStatus.choices]
    )
    element = forms.ChoiceField(label=_("Element"), required=False)
    company = forms.ChoiceField(label=_("Company"), required=False)
    expiring_within = forms.IntegerField(
        label=_("Expiring within (days)"), required=False, min_value=0, max_value=3650
    )

    def __init__(self, *args, elements=(), companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [("", _("Any")), *elements]
        self.fields["company"].choices = [
            ("", _("Any")),
            *[(str(pk), name) for pk, name in companies],
        ]


class AmendmentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *Amendment.Status.choices],
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class RfiForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the producer"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RecommendForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}))


class FastTrackForm(forms.Form):
    fast_track = forms.BooleanField(label=_("Fast track (trusted end user)"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class DecisionForm(forms.Form):
    """Approve (per-line granted quantity, conditions, validity) or deny (reasons)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("deny", _("Deny"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reasons = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, lines=(), max_valid_until=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=_("Line %(n)d granted (%(unit)s)") % {"n": line.position, "unit": line.unit},
                min_value=Decimal("0"),
                max_value=line.quantity,
                max_digits=18,
                decimal_places=3,
                initial=line.quantity,
                required=False,
            )
        if max_valid_until is not None:
            self.fields["valid_until"].initial = max_valid_until
            self.fields["valid_until"].help_text = _("At most %(date)s.") % {
                "date": max_valid_until
            }
            self.fields["valid_until"].widget.attrs["max"] = max_valid_until.isoformat()

    def line_fields(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "deny" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons for the refusal."))
        return data

    def approved_quantities(self) -> dict[int, Decimal]:
        result = {}
        for line in self.lines:
            value = self.cleaned_data.get(f"line_{line.pk}")
            result[line.pk] = line.quantity if value is None else value
        return result


class LicenceActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("suspend", _("Suspend")), ("reinstate", _("Reinstate")), ("revoke", _("Revoke"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AmendmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Licence number"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "RT-2026-000001", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
