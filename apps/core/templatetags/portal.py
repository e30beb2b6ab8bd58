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


# One palette for every status badge in the portal. Green: in order / done; blue: moving;
# yellow: waiting for someone; red: refused, stopped or dangerous; grey / dark: closed.
STATUS_BADGES: dict[str, str] = {
    # organisations
    "verified": "text-bg-success",
    "pending": "text-bg-warning",
    # applications
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "under_review": "text-bg-primary",
    "information_requested": "text-bg-warning",
    "reviewed": "text-bg-primary",
    "approved": "text-bg-success",
    "denied": "text-bg-danger",
    "withdrawn": "text-bg-light border",
    "lapsed": "text-bg-dark",
    # licences
    "active": "text-bg-success",
    "suspended": "text-bg-danger",
    "revoked": "text-bg-danger",
    "expired": "text-bg-secondary",
    "exhausted": "text-bg-dark",
    "surrendered": "text-bg-light border",
    # transaction reports and uploads
    "accepted": "text-bg-success",
    "cancelled": "text-bg-secondary",
    "validating": "text-bg-info",
    "invalid": "text-bg-danger",
    "valid": "text-bg-info",
    "committing": "text-bg-info",
    "committed": "text-bg-success",
    "failed": "text-bg-danger",
    "discarded": "text-bg-light border",
    # screening hits and client screening
    "open": "text-bg-warning",
    "confirmed": "text-bg-danger",
    "dismissed": "text-bg-secondary",
    "not_screened": "text-bg-secondary",
    "clear": "text-bg-success",
    "review": "text-bg-warning",
    "watch": "text-bg-info",
    "control": "text-bg-danger",
    # requests for information, amendments
    "answered": "text-bg-success",
    "requested": "text-bg-warning",
    "granted": "text-bg-success",
    "refused": "text-bg-danger",
    # monthly returns
    "due": "text-bg-warning",
    "overdue": "text-bg-danger",
    "nil": "text-bg-success",
    # exports, e-mails, catalogue
    "queued": "text-bg-info",
    "running": "text-bg-info",
    "done": "text-bg-success",
    "sent": "text-bg-success",
    "in_force": "text-bg-success",
}
# Where one word means different things in different places.
STATUS_BADGES_BY_KIND: dict[str, dict[str, str]] = {
    "licence": {"suspended": "text-bg-warning"},
    "hit": {"lapsed": "text-bg-light border"},
    "return": {"confirmed": "text-bg-success"},
    "catalogue": {"suspended": "text-bg-warning"},
    "delivery": {"pending": "text-bg-warning"},
}


@register.filter
def status_badge(status: str, kind: str = "") -> str:
    """Bootstrap classes for a status badge: `obj.status|status_badge` or `|status_badge:"hit"`."""
    key = str(status)
    override = STATUS_BADGES_BY_KIND.get(kind, {})
    return override.get(key) or STATUS_BADGES.get(key, "text-bg-secondary")


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
