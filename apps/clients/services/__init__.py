"""Every write of the clients app; import from here (`from apps.clients import services`)."""

from apps.clients.screening import screen_parties
from apps.clients.services.clients import (
    client_archive,
    client_create,
    client_screen,
    client_update,
    clients_rescreen,
)
from apps.clients.services.entities import entity_merge, entity_split, link_entity
from apps.clients.services.hits import hit_decide
from apps.clients.services.lists import (
    list_entry_create,
    list_entry_update,
    list_import_csv,
    list_import_validate,
)

__all__ = [
    "client_archive",
    "client_create",
    "client_screen",
    "client_update",
    "clients_rescreen",
    "entity_merge",
    "entity_split",
    "hit_decide",
    "link_entity",
    "list_entry_create",
    "list_entry_update",
    "list_import_csv",
    "list_import_validate",
    "screen_parties",
]
