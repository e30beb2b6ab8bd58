from django import forms

from apps.core.errors import DomainError


def add_domain_error(
    form: forms.Form, exc: DomainError, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: per-field messages where the field exists."""
    field_map = field_map or {}
    placed = False
    for name, messages in exc.field_errors.items():
        target = field_map.get(name, name)
        if target in form.fields:
            for message in messages:
                form.add_error(target, message)
            placed = True
    if not placed or not exc.field_errors:
        form.add_error(None, exc.message)
