"""Client records and screening hits as auditor datasets (browsed and exported by apps.audit).

A client's "destination" is its country: the filter of the same name as on transactions, so one
country narrows every dataset alike.
"""

from django.utils.translation import gettext_lazy as _

from apps.audit.datasets.registry import (
    Column,
    Dataset,
    date_range,
    destination,
    producer,
    register,
    search,
    status,
)
from apps.clients.models import ScreeningStatus


def _hit_statuses():
    from apps.clients.models import ScreeningHit

    return ScreeningHit.Status.choices


register(
    Dataset(
        name="clients",
        label=_("Clients"),
        description=_("Every producer's client book: purchasers, consignees and end users."),
        model="clients.Client",
        columns=(
            Column("id", "id", _("Id"), kind="number"),
            Column("company", "organisation__legal_name", _("Company")),
            Column("company_id", "organisation_id", _("Company id"), kind="number"),
            Column("legal_name", "legal_name", _("Legal name")),
            Column("native_name", "native_name", _("Native name")),
            Column("country", "country", _("Country"), kind="code"),
            Column("registration_number", "registration_number", _("Registration number")),
            Column("registration_kind", "registration_kind", _("Registration kind"), "code"),
            Column("sector", "sector", _("Sector"), kind="code"),
            Column("roles", "roles", _("Roles"), kind="json", sortable=False),
            Column("address", "address", _("Address"), sortable=False),
            Column("website", "website", _("Website")),
            Column("entity_id", "entity_id", _("Entity id"), kind="number"),
            Column("parent_id", "parent_id", _("Parent id"), kind="number"),
            Column("ownership_pct", "ownership_pct", _("Owned by parent (%)"), kind="number"),
            Column("screening_status", "screening_status", _("Screening"), kind="code"),
            Column("screened_at", "screened_at", _("Screened"), kind="datetime"),
            Column("created_by", "created_by__email", _("Created by")),
            Column("created_at", "created_at", _("Created"), kind="datetime"),
            Column("archived_at", "archived_at", _("Archived"), kind="datetime"),
        ),
        filters=(
            *date_range("created_at", _("Created from"), _("Created to")),
            producer("organisation"),
            destination("country", label=_("Country")),
            status("screening_status", ScreeningStatus.choices),
            search("legal_name", "native_name", "registration_number"),
        ),
        order_by=("id",),
        default_sort="legal_name",
    )
)

register(
    Dataset(
        name="screening_hits",
        label=_("Screening hits"),
        description=_("Possible matches of clients with the control and watch lists, as decided."),
        model="clients.ScreeningHit",
        columns=(
            Column("id", "id", _("Id"), kind="number"),
            Column("client_id", "client_id", _("Client id"), kind="number"),
            Column("client", "client__legal_name", _("Client")),
            Column("company", "client__organisation__legal_name", _("Company")),
            Column("company_id", "client__organisation_id", _("Company id"), kind="number"),
            Column("list", "list_entry__kind", _("List"), kind="code"),
            Column("list_entry_id", "list_entry_id", _("List entry id"), kind="number"),
            Column("list_entry", "list_entry__name", _("Listed party")),
            Column("basis", "basis", _("Basis"), kind="code"),
            Column("score", "score", _("Score"), kind="number"),
            Column("status", "status", _("Status"), kind="code"),
            Column("decided_by", "decided_by__email", _("Decided by")),
            Column("decided_at", "decided_at", _("Decided"), kind="datetime"),
            Column("reason", "reason", _("Reason"), sortable=False),
            Column("created_at", "created_at", _("Found"), kind="datetime"),
        ),
        filters=(
            *date_range("created_at", _("Found from"), _("Found to")),
            producer("client__organisation"),
            destination("client__country", label=_("Client country")),
            status("status", _hit_statuses),
            search("client__legal_name", "list_entry__name"),
        ),
        order_by=("id",),
        default_sort="-id",
    )
)
