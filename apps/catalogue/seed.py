"""The catalogue as published (see /work/shared/DOMAIN.md), loaded by the data migration and by
`catalogue_seed`. Plain data and plain manager calls, so historical models can use it too.

Sources: MOFCOM/GAC Announcement No. 18 of 2025 (seven medium/heavy rare earths, in force from
4 April 2025); the October 2025 package (holmium, erbium, thulium, europium, ytterbium) announced
to take effect on 8 November 2025 and suspended until 10 November 2026. Codes 1C902 and 1C903 are
confirmed; the others follow the published order and are editable by administrators.
"""

from datetime import date

APRIL_2025 = date(2025, 4, 4)
PACKAGE_2025_FROM = date(2025, 11, 8)
PACKAGE_2025_SUSPENDED_UNTIL = date(2026, 11, 10)
OXIDE_MIXTURE_HS = "2846901993"  # oxide mixture containing the seven elements
MAGNET_HS = "8505111000"

# (control code, element, symbol, metal HS, oxide HS, compound HS)
APRIL_2025_ITEMS = [
    ("1C902", "samarium", "Sm", "2805301910", "2846901940", "2846902810"),
    ("1C903", "gadolinium", "Gd", "2805301910", "2846901930", ""),
    ("1C904", "terbium", "Tb", "2805301300", "", ""),
    ("1C905", "dysprosium", "Dy", "2805301200", "", ""),
    ("1C906", "lutetium", "Lu", "2805301910", "", ""),
    ("1C907", "scandium", "Sc", "2805301800", "2846901980", ""),
    ("1C908", "yttrium", "Y", "2805301700", "", ""),
]
# The suspended package. Ytterbium's code is not in the domain notes; 1C913 continues the order.
PACKAGE_2025_ITEMS = [
    ("1C909", "holmium", "Ho"),
    ("1C910", "erbium", "Er"),
    ("1C911", "thulium", "Tm"),
    ("1C912", "europium", "Eu"),
    ("1C913", "ytterbium", "Yb"),
]


def _three_sub_items(code, element, symbol, metal_hs, oxide_hs, compound_hs, **period) -> list:
    title = element.capitalize()
    return [
        {
            "control_code": code,
            "sub_item": "a",
            "element": element,
            "symbol": symbol,
            "name": f"{title} metal, alloys and related products (targets, magnet materials)",
            "forms": ["metal", "alloy", "target", "magnet"],
            "hs_codes": [h for h in [metal_hs] if h],
            **period,
        },
        {
            "control_code": code,
            "sub_item": "b",
            "element": element,
            "symbol": symbol,
            "name": f"{title} oxides and their mixtures",
            "forms": ["oxide"],
            "hs_codes": [h for h in [oxide_hs, OXIDE_MIXTURE_HS] if h],
            **period,
        },
        {
            "control_code": code,
            "sub_item": "c",
            "element": element,
            "symbol": symbol,
            "name": f"{title} compounds and their mixtures",
            "forms": ["compound"],
            "hs_codes": [h for h in [compound_hs] if h],
            **period,
        },
    ]


def seed_entries() -> list[dict]:
    entries: list[dict] = []
    for code, element, symbol, metal, oxide, compound in APRIL_2025_ITEMS:
        entries += _three_sub_items(
            code, element, symbol, metal, oxide, compound, effective_from=APRIL_2025
        )
    magnets = [
        ("1C902", "samarium", "Sm", "Samarium-cobalt magnets"),
        ("1C904", "terbium", "Tb", "NdFeB magnets containing terbium"),
        ("1C905", "dysprosium", "Dy", "NdFeB magnets containing dysprosium"),
    ]
    for code, element, symbol, name in magnets:
        entries.append(
            {
                "control_code": code,
                "sub_item": "a",
                "element": element,
                "symbol": symbol,
                "name": name,
                "forms": ["magnet"],
                "hs_codes": [MAGNET_HS],
                "effective_from": APRIL_2025,
                "notes": "Motors and finished products containing the magnets are not controlled.",
            }
        )
    for code, element, symbol in PACKAGE_2025_ITEMS:
        entries += _three_sub_items(
            code,
            element,
            symbol,
            "",
            "",
            "",
            effective_from=PACKAGE_2025_FROM,
            suspended_until=PACKAGE_2025_SUSPENDED_UNTIL,
            notes="Announced October 2025; suspended until 10 November 2026.",
        )
    return entries


def load_entries(entry_model) -> int:
    """Create the seed entries missing from the table; never change an existing one."""
    existing = set(entry_model.objects.values_list("control_code", "sub_item", "name"))
    new = [
        entry_model(**entry)
        for entry in seed_entries()
        if (entry["control_code"], entry["sub_item"], entry["name"]) not in existing
    ]
    entry_model.objects.bulk_create(new)
    return len(new)
