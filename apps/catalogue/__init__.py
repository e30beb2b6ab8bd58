"""The control catalogue: controlled items with their effective and suspension periods.

Public API for other apps (not scoped to a user: the catalogue is published reference data):

    from apps.catalogue.selectors import (
        catalogue_in_force,     # (on_date) -> QuerySet[CatalogueEntry]
        catalogue_entries_for,  # (control_code_or_hs, on_date) -> list[CatalogueEntry]
        catalogue_entry_for,    # (control_code_or_hs, on_date) -> CatalogueEntry | None
        catalogue_check,        # (control_code_or_hs, on_date) -> CatalogueCheck(controlled, flag)
    )
"""
