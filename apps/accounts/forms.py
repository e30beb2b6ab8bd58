from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership
from apps.core.roles import AUTHORITY_ROLES, Role
from apps.core.security.throttle import pause_message

PROVINCES = [
    "Anhui",
    "Beijing",
    "Chongqing",
    "Fujian",
    "Gansu",
    "Guangdong",
    "Guangxi",
    "Guizhou",
    "Hainan",
    "Hebei",
    "Heilongjiang",
    "Henan",
    "Hubei",
    "Hunan",
    "Inner Mongolia",
    "Jiangsu",
    "Jiangxi",
    "Jilin",
    "Liaoning",
    "Ningxia",
    "Qinghai",
    "Shaanxi",
    "Shandong",
    "Shanghai",
    "Shanxi",
    "Sichuan",
    "Tianjin",
    "Tibet",
    "Xinjiang",
    "Yunnan",
    "Zhejiang",
]


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            pause = getattr(self.request, "login_pause", None)
            if pause is not None:  # apps.core.security.throttle refused to check the password
                raise ValidationError(pause_message(pause), code="throttled") from None
            raise


class RegistrationForm(forms.Form):
    legal_name = forms.CharField(label=_("Company legal name (Latin script)"), max_length=200)
    native_name = forms.CharField(
        label=_("Company name in Chinese"), max_length=200, required=False
    )
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=24,
        help_text=_("18 characters, printed on the business licence."),
    )
    province = forms.ChoiceField(
        label=_("Province"), choices=[("", "---------")] + [(p, p) for p in PROVINCES]
    )
    address = forms.CharField(
        label=_("Registered address"), widget=forms.Textarea(attrs={"rows": 2})
    )
    admin_full_name = forms.CharField(label=_("Your full name"), max_length=200)
    admin_email = forms.EmailField(label=_("Your e-mail address"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters, not a common password."),
    )
    password_confirm = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.PRODUCER_ROLE_CHOICES, initial=Role.PRODUCER_STAFF.value
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters, not a common password."),
    )
    password_confirm = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned


class OrganisationActionForm(forms.Form):
    """Offers only the actions that the company's current status allows."""

    ACTIONS = {
        "pending": [("verify", _("Verify")), ("suspend", _("Suspend"))],
        "verified": [("suspend", _("Suspend"))],
        "suspended": [("reinstate", _("Reinstate"))],
    }

    action = forms.ChoiceField(label=_("Action"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a suspension; shown to the company."),
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = self.ACTIONS.get(status, [])


class OfficialForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r in AUTHORITY_ROLES],
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'ERP integration'."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("1 year")), ("", _("Never"))],
        initial=90,
    )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, credit code or province")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            ("pending", _("Pending")),
            ("verified", _("Verified")),
            ("suspended", _("Suspended")),
        ],
    )
