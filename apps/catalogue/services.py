"""Every write on the catalogue: administrators create and edit entries; each change is audited.

Bad input raises `DomainError` with a message per field and changes nothing. Entries are never
deleted (applications will refer to them): an item leaves the catalogue by an `effective_until`
date, or stops being in force for a while by a `suspended_until` date.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.catalogue import permissions, seed
from apps.catalogue.models import CatalogueEntry, ItemForm, SubItem
from apps.core.errors import DomainError, PermissionDeniedError

CONTROL_CODE_RE = re.compile(r"^\d[A-E]\d{3}$")
HS_CODE_RE = re.compile(r"^\d{10}$")
SYMBOL_RE = re.compile(r"^[A-Z][a-z]?$")
FIELDS = (
    "control_code",
    "sub_item",
    "element",
    "symbol",
    "name",
    "forms",
    "hs_codes",
    "effective_from",
    "effective_until",
    "suspended_until",
    "notes",
)


@dataclass(frozen=True)
class EntryData:
    """The editable content of an entry, as the form or the API hands it over."""

    control_code: str
    sub_item: str
    element: str
    symbol: str
    name: str
    forms: list[str]
    hs_codes: list[str]
    effective_from: date | None
    effective_until: date | None = None
    suspended_until: date | None = None
    notes: str = ""


def parse_hs_codes(text: str) -> list[str]:
    """HS codes from free text: one per line or separated by commas / spaces; dots ignored."""
    parts = re.split(r"[\s,;]+", text or "")
    return [p.replace(".", "") for p in parts if p.strip()]


def _clean(data: EntryData) -> dict[str, Any]:
    """Normalise and check an entry; raise DomainError listing every problem at once."""
    errors: dict[str, list[str]] = {}
    code = data.control_code.strip().upper()
    if not CONTROL_CODE_RE.match(code):
        errors["control_code"] = [
            _("A control code is a digit, a letter A-E and three digits, e.g. 1C902.")
        ]
    if data.sub_item not in SubItem.values:
        errors["sub_item"] = [_("Choose sub-item a, b or c.")]
    element = data.element.strip().lower()
    if not element:
        errors["element"] = [_("Name the element, e.g. samarium.")]
    symbol = data.symbol.strip()
    if not SYMBOL_RE.match(symbol):
        errors["symbol"] = [_("A chemical symbol is one capital letter and an optional small one.")]
    name = data.name.strip()
    if not name:
        errors["name"] = [_("Describe the item, e.g. samarium oxides and their mixtures.")]
    forms = list(dict.fromkeys(data.forms))
    unknown_forms = [f for f in forms if f not in ItemForm.values]
    if not forms or unknown_forms:
        errors["forms"] = [_("Choose at least one allowed form from the list.")]
    hs_codes = list(dict.fromkeys(c.strip().replace(".", "") for c in data.hs_codes if c.strip()))
    bad_hs = [c for c in hs_codes if not HS_CODE_RE.match(c)]
    if bad_hs:
        errors["hs_codes"] = [
            _("An HS code has exactly 10 digits: %(codes)s is not valid.")
            % {"codes": ", ".join(bad_hs)}
        ]
    errors.update(_date_errors(data))
    if errors:
        raise DomainError(_("The entry has errors; nothing was saved."), field_errors=errors)
    return {
        "control_code": code,
        "sub_item": data.sub_item,
        "element": element,
        "symbol": symbol,
        "name": name,
        "forms": forms,
        "hs_codes": hs_codes,
        "effective_from": data.effective_from,
        "effective_until": data.effective_until,
        "suspended_until": data.suspended_until,
        "notes": data.notes.strip(),
    }


def _date_errors(data: EntryData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    start = data.effective_from
    if start is None:
        return {"effective_from": [_("Enter the date from which the item is controlled.")]}
    if data.effective_until is not None and data.effective_until < start:
        errors["effective_until"] = [_("The end of the control cannot be before its start.")]
    if data.suspended_until is not None:
        if data.suspended_until < start:
            errors["suspended_until"] = [
                _("A suspension ends on or after the date the control takes effect.")
            ]
        elif data.effective_until is not None and data.suspended_until >= data.effective_until:
            errors["suspended_until"] = [
                _("The suspension would last the whole control period; set an earlier date.")
            ]
    return errors


def _require_editor(actor) -> None:
    if not permissions.can_edit_catalogue(actor):
        raise PermissionDeniedError(_("Only administrators edit the control catalogue."))


def _duplicate_error() -> DomainError:
    return DomainError(
        _("This control code and sub-item already have an entry with this description."),
        field_errors={"name": [_("Already in the catalogue; edit that entry instead.")]},
    )


def _snapshot(entry: CatalogueEntry) -> dict[str, Any]:
    return {f: getattr(entry, f) for f in FIELDS}


@transaction.atomic
def catalogue_entry_create(*, actor, data: EntryData) -> CatalogueEntry:
    _require_editor(actor)
    values = _clean(data)
    duplicate = CatalogueEntry.objects.filter(
        control_code=values["control_code"], sub_item=values["sub_item"], name=values["name"]
    )
    if duplicate.exists():
        raise _duplicate_error()
    try:
        with transaction.atomic():
            entry = CatalogueEntry.objects.create(**values)
    except IntegrityError:
        raise _duplicate_error() from None
    audit_record(actor=actor, action="catalogue.entry_create", obj=entry, changes=values)
    return entry


@transaction.atomic
def catalogue_entry_update(*, actor, entry: CatalogueEntry, data: EntryData) -> CatalogueEntry:
    """Change an entry; repeating the same change records nothing."""
    _require_editor(actor)
    values = _clean(data)
    locked = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    before = _snapshot(locked)
    changes = {k: [before[k], v] for k, v in values.items() if before[k] != v}
    if not changes:
        return locked
    duplicate = CatalogueEntry.objects.filter(
        control_code=values["control_code"], sub_item=values["sub_item"], name=values["name"]
    ).exclude(pk=locked.pk)
    if duplicate.exists():
        raise _duplicate_error()
    for field, value in values.items():
        setattr(locked, field, value)
    try:
        with transaction.atomic():
            locked.save(update_fields=[*changes, "updated_at"])
    except IntegrityError:
        raise _duplicate_error() from None
    audit_record(actor=actor, action="catalogue.entry_update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def catalogue_seed(*, actor=None) -> int:
    """Create the published entries missing from the table (idempotent; edits are kept)."""
    created = seed.load_entries(CatalogueEntry)
    if created:
        audit_record(
            actor=actor,
            action="catalogue.seed",
            changes={"created": created},
            actor_label=None if actor else "seed",
        )
    return created
