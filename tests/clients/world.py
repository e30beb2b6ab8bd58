"""The clients objects that the access matrix points at (tests/test_access_matrix.py)."""

from tests.clients.factories import make_client, make_entry


def build(world) -> None:
    world.list_entry = make_entry("Nordwind Dual-Use Trading", country="DE")
    world.client = make_client(
        world.users["producer_admin"], legal_name="Nordwind Dual Use Trading"
    )
    world.entity = world.client.entity
    world.hit = world.client.hits.get()
