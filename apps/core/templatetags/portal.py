from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header that sorts by `key`, toggling direction and keeping the current filters."""
    request = context["request"]
    current = context.get("sort", "")
    query = request.GET.copy()
    query.pop("page", None)
    descending = current == key
    query["sort"] = f"-{key}" if descending else key
    arrow = ""
    if current == key:
        arrow = " ▲"
    elif current == f"-{key}":
        arrow = " ▼"
    return format_html(
        '<a class="link-body-emphasis text-decoration-none" href="?{}">{}{}</a>',
        query.urlencode(),
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def status_badge(status: str) -> str:
    return {
        "verified": "text-bg-success",
        "active": "text-bg-success",
        "approved": "text-bg-success",
        "pending": "text-bg-warning",
        "submitted": "text-bg-info",
        "suspended": "text-bg-danger",
        "denied": "text-bg-danger",
        "revoked": "text-bg-danger",
    }.get(status, "text-bg-secondary")


_CHECK_WIDGETS = {"checkbox", "radioselect"}


@register.filter
def bs_widget(field):
    """Render a form field's widget with Bootstrap classes, marked invalid when it has errors."""
    kind = field.widget_type
    if kind in _CHECK_WIDGETS:
        css = "form-check-input"
    elif kind in {"select", "selectmultiple"}:
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})
