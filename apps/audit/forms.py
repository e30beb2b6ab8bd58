from django import forms
from django.utils.translation import gettext_lazy as _

from apps.audit.datasets import registry
from apps.audit.models import ExportJob


class ExportRequestForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Records"), choices=())
    format = forms.ChoiceField(label=_("Format"), choices=ExportJob.Format.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [(d.name, d.label) for d in registry.all_datasets()]


class ExportListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ExportJob.Status.choices]
    )
    dataset = forms.ChoiceField(label=_("Records"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [("", _("All"))] + [
            (d.name, d.label) for d in registry.all_datasets()
        ]
