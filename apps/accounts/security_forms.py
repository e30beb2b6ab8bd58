"""Forms of the security pages: MFA codes and re-authentication."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ReauthenticateForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, needs_token: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_token:
            self.fields["token"].required = True
        else:
            del self.fields["token"]
