"""The transactions objects that the access matrix points at (tests/test_access_matrix.py)."""

from apps.transactions import services
from apps.transactions.demo import demo_client, entry_for, make_licence
from tests.transactions.conftest import report_input


def build(world) -> None:
    producer = world.users["producer_admin"]
    buyer = demo_client(world.company, producer, "Rheinland Motoren GmbH", "DE", "automotive")
    world.tx_licence = make_licence(
        organisation=world.company,
        user=producer,
        end_user=buyer,
        entry=entry_for("1C905.a", "metal"),
    )
    world.tx_buyer = buyer
    world.tx_report = services.transaction_report(
        actor=producer, data=report_input(world.tx_licence, buyer)
    )
    batch = services.import_upload(actor=producer, content=b"reference\n1\n", filename="bad.csv")
    world.tx_batch = services.import_check(batch.pk)


def correction_naming(world, client) -> dict:
    """An API correction of the world's report whose purchaser is `client` (by id)."""
    from tests.transactions.test_api import body

    return {
        **body(world.tx_licence, world.tx_buyer),
        "purchaser": client.pk,
        "reason": "access check",
    }
