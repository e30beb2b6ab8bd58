"""Demo client books, listed parties and hits. Safe to run twice (existing rows are kept).

Names are invented: automotive and semiconductor buyers in the EU, Japan, Korea and the US, and a
few listed parties, some of which the producers' clients resemble (so the hit queue has work).
"""

from django.db import transaction

from apps.accounts.models import User
from apps.clients import services
from apps.clients.models import Client, ListEntry, ScreeningHit

LIST_ENTRIES = [
    {
        "kind": "control",
        "name": "Volga Strategic Metals JSC",
        "aliases": "АО Волга Стратегические Металлы\nVolga StratMet",  # noqa: RUF001
        "country": "RU",
        "identifiers": "OGRN 1027700000001",
        "reason": "Supplies rare-earth magnets to military end users.",
        "listed_on": "2025-04-04",
    },
    {
        "kind": "control",
        "name": "Crescent Dual-Use Trading FZE",
        "aliases": "Crescent DU Trading",
        "country": "AE",
        "identifiers": "",
        "reason": "Diversion of controlled items to embargoed destinations.",
        "listed_on": "2025-04-04",
    },
    {
        "kind": "control",
        "name": "Northern Star Aerospace Components Limited",
        "aliases": "北星航空部件有限公司",
        "country": "HK",
        "identifiers": "CR 3141592",
        "reason": "Procurement agent for a listed defence programme.",
        "listed_on": "2025-10-09",
    },
    {
        "kind": "watch",
        "name": "Harbor Bridge Trading Pte. Ltd.",
        "aliases": "",
        "country": "SG",
        "identifiers": "UEN 201912345K",
        "reason": "Did not cooperate with an end-use check.",
        "listed_on": "2025-06-02",
    },
    {
        "kind": "watch",
        "name": "Meridian Magnet Distribution GmbH",
        "aliases": "",
        "country": "DE",
        "identifiers": "",
        "reason": "End-user certificate could not be verified.",
        "listed_on": "2025-07-15",
    },
    {
        "kind": "watch",
        "name": "Kobayashi Shoji K.K.",
        "aliases": "小林商事株式会社",
        "country": "JP",
        "identifiers": "",
        "reason": "Refused an on-site end-use visit.",
        "listed_on": "2025-08-20",
    },
]

# (legal name, native name, country, registration number, kind, sector, roles, website)
CLIENTS = {
    "Rheinland": (
        "Rheinland Fahrzeugtechnik GmbH",
        "",
        "DE",
        "HRB 104711",
        "company_register",
        "automotive",
        ["purchaser", "end_user"],
        "https://rheinland-ft.example",
    ),
    "Bavaria": (
        "Bavaria Antriebssysteme AG",
        "",
        "DE",
        "HRB 220815",
        "company_register",
        "automotive",
        ["end_user"],
        "",
    ),
    "Lyon": (
        "Lyon Mobilité Électrique SAS",
        "",
        "FR",
        "FR 40 812345678",
        "vat",
        "automotive",
        ["purchaser", "end_user"],
        "",
    ),
    "Torino": (
        "Torino Motori Elettrici S.p.A.",
        "",
        "IT",
        "IT 01234567890",
        "vat",
        "automotive",
        ["end_user"],
        "",
    ),
    "Goteborg": (
        "Göteborg Drive Systems AB",
        "",
        "SE",
        "556677-8899",
        "company_register",
        "automotive",
        ["purchaser", "consignee", "end_user"],
        "",
    ),
    "Eindhoven": (
        "Eindhoven Wafer Technologies B.V.",
        "",
        "NL",
        "KVK 17012345",
        "company_register",
        "semiconductor",
        ["end_user"],
        "",
    ),
    "Dresden": (
        "Dresden Halbleiter Materialien GmbH",
        "",
        "DE",
        "HRB 33442",
        "company_register",
        "semiconductor",
        ["purchaser", "end_user"],
        "",
    ),
    "Hoshino": (
        "Hoshino Seimitsu K.K.",
        "星野精密株式会社",
        "JP",
        "1234567890123",
        "corporate_number",
        "semiconductor",
        ["end_user"],
        "",
    ),
    "Kitakami": (
        "Kitakami Electronics Co., Ltd.",
        "北上電子株式会社",
        "JP",
        "9876543210987",
        "corporate_number",
        "electronics",
        ["purchaser", "end_user"],
        "",
    ),
    "Hanbit": (
        "Hanbit Semicon Co., Ltd.",
        "한빛반도체 주식회사",
        "KR",
        "124-81-00998",
        "business_registration",
        "semiconductor",
        ["end_user"],
        "",
    ),
    "Daegu": (
        "Daegu Mobility Parts Co., Ltd.",
        "대구모빌리티부품 주식회사",
        "KR",
        "504-81-12345",
        "business_registration",
        "automotive",
        ["purchaser", "end_user"],
        "",
    ),
    "Volta": (
        "Volta Drive Systems Inc.",
        "",
        "US",
        "EIN 38-1234567",
        "ein",
        "automotive",
        ["purchaser", "end_user"],
        "",
    ),
    "Arcadia": (
        "Arcadia Semiconductor Corp.",
        "",
        "US",
        "EIN 94-7654321",
        "ein",
        "semiconductor",
        ["end_user"],
        "",
    ),
    "GreatLakes": (
        "Great Lakes Motor Works LLC",
        "",
        "US",
        "",
        "",
        "automotive",
        ["purchaser", "intermediate_consignee"],
        "",
    ),
    # resemble listed parties
    "Meridian": (
        "Meridian Magnet Distribution GmbH",
        "",
        "DE",
        "",
        "",
        "other",
        ["purchaser", "intermediate_consignee"],
        "",
    ),
    "Volga": (
        "Volga Strategic Metals",
        "АО Волга Стратегические Металлы",  # noqa: RUF001 - Cyrillic on purpose
        "RU",
        "OGRN 1027700000001",
        "company_register",
        "other",
        ["purchaser"],
        "",
    ),
    "Harbour": (
        "Harbour Bridge Trading Pte Ltd",
        "",
        "SG",
        "",
        "",
        "other",
        ["intermediate_consignee", "consignee"],
        "",
    ),
    "Kama": (
        "Kama Components GmbH",
        "",
        "DE",
        "HRB 77001",
        "company_register",
        "automotive",
        ["purchaser", "end_user"],
        "",
    ),
}

BOOKS = {
    "producer@ganzhou-magnetics.demo": [
        "Rheinland",
        "Bavaria",
        "Torino",
        "Hoshino",
        "Hanbit",
        "Volta",
        "Dresden",
        "Meridian",
        "Volga",
        "Kama",
    ],
    "producer@ningbo-magnet.demo": [
        "Rheinland",
        "Lyon",
        "Goteborg",
        "Kitakami",
        "Daegu",
        "Arcadia",
        "Volga",
    ],
    "producer@baotou-separation.demo": [
        "Eindhoven",
        "Hoshino",
        "Hanbit",
        "GreatLakes",
        "Harbour",
        "Lyon",
    ],
}
OWNED = {"Kama": ("Volga", "51")}  # subsidiary: (parent, share %) in the same book


def _client(actor: User, key: str, book: dict[str, Client]) -> Client:
    legal, native, country, reg, kind, sector, roles, website = CLIENTS[key]
    organisation = actor.membership.organisation
    existing = Client.objects.filter(organisation=organisation, legal_name=legal).first()
    if existing:
        return existing
    parent, pct = OWNED.get(key, (None, None))
    return services.client_create(
        actor=actor,
        data={
            "legal_name": legal,
            "native_name": native,
            "country": country,
            "registration_number": reg,
            "registration_kind": kind,
            "sector": sector,
            "roles": roles,
            "website": website,
            "address": "",
            "parent": book[parent].pk if parent else None,
            "ownership_pct": pct,
        },
    )


@transaction.atomic
def seed() -> dict[str, int]:
    admin = User.objects.get(email="admin@raretrack.demo")
    reviewer = User.objects.get(email="reviewer@raretrack.demo")
    for data in LIST_ENTRIES:
        if not ListEntry.objects.filter(kind=data["kind"], name=data["name"]).exists():
            services.list_entry_create(actor=admin, data=data, rescreen=False)
    for email, keys in BOOKS.items():
        actor = User.objects.filter(email=email).select_related("membership").first()
        if actor is None:
            continue
        book: dict[str, Client] = {}
        for key in keys:
            book[key] = _client(actor, key, book)
    # one decision of each kind, so the queue shows history as well as work
    for volga in ScreeningHit.objects.filter(
        client__legal_name="Volga Strategic Metals", status="open", basis="name"
    ):
        services.hit_decide(
            actor=reviewer,
            hit=volga,
            action="confirm",
            reason="Same OGRN registration number as the listed party.",
        )
    return {
        "clients": Client.objects.count(),
        "list entries": ListEntry.objects.count(),
        "screening hits": ScreeningHit.objects.count(),
    }
