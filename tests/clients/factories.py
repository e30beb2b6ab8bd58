"""Helpers to build client-book and list data through the services (as users would)."""

from datetime import date

from apps.clients import services
from apps.clients.models import ListEntry, ListEntryTerm
from apps.clients.services.lists import _terms


def client_data(**overrides) -> dict:
    data = {
        "legal_name": "Rheinland Fahrzeugtechnik GmbH",
        "native_name": "",
        "aliases": [],
        "country": "DE",
        "registration_number": "",
        "registration_kind": "",
        "address": "Industriestraße 5, 50667 Köln",
        "website": "",
        "sector": "automotive",
        "roles": ["purchaser", "end_user"],
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "parent": None,
        "ownership_pct": None,
    }
    data.update(overrides)
    return data


def make_client(actor, **overrides):
    return services.client_create(actor=actor, data=client_data(**overrides))


def make_entry(
    name: str,
    *,
    kind: str = "control",
    country: str = "",
    aliases: list[str] | None = None,
    identifiers: list[str] | None = None,
    listed_on: date = date(2024, 1, 1),
    delisted_on: date | None = None,
) -> ListEntry:
    """A list entry written directly (no rescreen task): for tests that screen explicitly."""
    entry = ListEntry.objects.create(
        kind=kind,
        name=name,
        aliases=aliases or [],
        country=country,
        identifiers=identifiers or [],
        reason="Test listing",
        listed_on=listed_on,
        delisted_on=delisted_on,
    )
    ListEntryTerm.objects.bulk_create(_terms(entry))
    return entry
