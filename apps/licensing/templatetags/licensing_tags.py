"""Small display helpers for licensing pages, both sides."""

from decimal import Decimal

from django import template

from apps.core.templatetags.portal import status_badge

register = template.Library()


@register.filter
def application_badge(status: str) -> str:
    return status_badge(status, "application")


@register.filter
def licence_badge(status: str) -> str:
    return status_badge(status, "licence")


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
