"""Form data for the Django admin, as its own forms render it: a change posts what is shown."""

from datetime import date, datetime, time

from django.contrib import admin
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import reverse


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(model, admin_user, obj=None, /, **changes) -> dict:
    """What the admin's add (obj None) or change form would post, with `changes` applied: the
    model's form and the management data of its inlines (with their rows as they are)."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    data = _values(form_class(instance=obj) if obj is not None else form_class())
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, obj):
        formset = formset_class(instance=obj or model())
        data.update(_values(formset.management_form))
        for form in formset.forms:
            data.update(_values(form))
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _values(form) -> dict:
    data: dict = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = field.widget.decompress(value) if not isinstance(value, list) else value
            for index, part in enumerate(parts):
                data[f"{key}_{index}"] = _text(part)
        elif isinstance(value, list | tuple):
            data[key] = [_text(item) for item in value]
        elif value is True:
            data[key] = "on"
        elif value is not None and value is not False:  # 0 is a value (a formset's count)
            data[key] = _text(value)
    return data


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(getattr(value, "pk", value))
