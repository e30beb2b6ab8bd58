"""Small display helpers for licensing pages, both sides."""

from decimal import Decimal

from django import template

register = template.Library()

APPLICATION_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "under_review": "text-bg-primary",
    "information_requested": "text-bg-warning",
    "reviewed": "text-bg-primary",
    "approved": "text-bg-success",
    "denied": "text-bg-danger",
    "withdrawn": "text-bg-light border",
    "lapsed": "text-bg-dark",
}
LICENCE_BADGES = {
    "active": "text-bg-success",
    "suspended": "text-bg-warning",
    "revoked": "text-bg-danger",
    "expired": "text-bg-secondary",
    "exhausted": "text-bg-dark",
    "surrendered": "text-bg-light border",
}


@register.filter
def application_badge(status: str) -> str:
    return APPLICATION_BADGES.get(status, "text-bg-secondary")


@register.filter
def licence_badge(status: str) -> str:
    return LICENCE_BADGES.get(status, "text-bg-secondary")


@register.filter
def percent_of(part, whole) -> int:
    """Whole percent of `part` in `whole` (0 when there is no whole), for progress bars."""
    try:
        whole = Decimal(whole)
        if whole <= 0:
            return 0
        return max(0, min(100, int(Decimal(part) * 100 / whole)))
    except (TypeError, ArithmeticError, ValueError):
        return 0


@register.filter
def quantity(value) -> str:
    """A quantity without trailing zeros (120.500 -> 120.5; 100.000 -> 100)."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.3f}".rstrip("0").rstrip(".")
    return text
