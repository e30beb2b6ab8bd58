from django import template
from django.utils.translation import gettext as _

from apps.core.templatetags.portal import status_badge

register = template.Library()


@register.filter
def screening_badge(status: str) -> str:
    return status_badge(status, "screening")


@register.filter
def list_badge(kind: str) -> str:
    return "text-bg-danger" if kind == "control" else "text-bg-info"


@register.filter
def hit_badge(status: str) -> str:
    return status_badge(status, "hit")


@register.filter
def match_summary(fields: dict) -> list[str]:
    """The matched fields of a hit as short lines a reviewer reads at a glance."""
    lines: list[str] = []
    for step in fields.get("ownership", []):
        lines.append(
            _("owned %(pct)s %% by %(name)s") % {"pct": step.get("pct"), "name": step.get("name")}
        )
    source = fields.get("owner_match", fields)
    name = source.get("name") or {}
    if name:
        lines.append(
            _("name “%(party)s” ~ “%(entry)s” (%(score)s)")
            % {"party": name.get("party"), "entry": name.get("entry"), "score": name.get("score")}
        )
    country = source.get("country")
    if country == "same":
        lines.append(_("same country"))
    elif country == "different":
        lines.append(_("different country"))
    ident = source.get("identifier")
    if isinstance(ident, list):
        lines.append(_("same registration number %(n)s") % {"n": ", ".join(ident)})
    elif ident == "different":
        lines.append(_("different registration number"))
    return lines
