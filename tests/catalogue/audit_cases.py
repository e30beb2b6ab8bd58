"""Audit cases for apps/catalogue/services.py (see tests/audit/coverage.py)."""

from datetime import date

from apps.catalogue import services
from apps.catalogue.models import CatalogueEntry
from tests.audit.coverage import AuditCase, Expect


def _data(**changes) -> services.EntryData:
    values = {
        "control_code": "1C998",
        "sub_item": "a",
        "element": "coverium",
        "symbol": "Cv",
        "name": "Coverium metal",
        "forms": ["metal"],
        "hs_codes": ["2805309998"],
        "effective_from": date(2025, 4, 4),
    }
    return services.EntryData(**{**values, **changes})


def _create(fx, _):
    entry = services.catalogue_entry_create(actor=fx("administrator"), data=_data())
    return Expect(
        "catalogue.entry_create",
        entry,
        actor=fx("administrator"),
        changes=("control_code", "hs_codes"),
    )


def _update(fx, entry):
    services.catalogue_entry_update(
        actor=fx("administrator"), entry=entry, data=_data(notes="Suspension extended")
    )
    return Expect("catalogue.entry_update", entry, actor=fx("administrator"), changes=("notes",))


def _seed(fx, _):
    CatalogueEntry.objects.filter(control_code="1C908").delete()
    services.catalogue_seed(actor=fx("administrator"))
    return Expect("catalogue.seed", None, actor=fx("administrator"), changes=("created",))


CASES = {
    "catalogue_entry_create": AuditCase(call=_create),
    "catalogue_entry_update": AuditCase(
        setup=lambda fx: CatalogueEntry.objects.create(**_data().__dict__), call=_update
    ),
    "catalogue_seed": AuditCase(call=_seed),
}
NOT_WRITES = {
    "parse_hs_codes": "splits form text into HS codes; pure, writes nothing",
}
