from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import NotificationPreference


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail"),
        choices=NotificationPreference.EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("Notifications always appear in your inbox; this decides the e-mails."),
    )
