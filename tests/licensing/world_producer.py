"""The licensing objects that the access matrix points at for the producers' pages and API: a
complete draft and an approved application with its licence, both of `world.company`."""

from decimal import Decimal

from apps.licensing import services
from apps.licensing.models import REQUIRED_DOCUMENTS
from tests.licensing.conftest import HEADER, dysprosium_entry, make_client, pdf


def _draft(user, buyer, entry):
    app = services.application_create(
        actor=user,
        data=HEADER,
        lines=[
            {
                "catalogue_entry": entry,
                "form": "metal",
                "quantity": Decimal("100"),
                "unit": "kg",
                "unit_price": Decimal("350.00"),
                "currency": "USD",
                "hs_code": "2805301200",
            }
        ],
    )
    services.application_set_parties(
        actor=user,
        application=app,
        parties=[(buyer.pk, "purchaser"), (buyer.pk, "consignee"), (buyer.pk, "end_user")],
    )
    for kind in REQUIRED_DOCUMENTS:
        services.document_add(actor=user, application=app, kind=kind, upload=pdf(f"{kind}.pdf"))
    return app


def build(world) -> None:
    users = world.users
    owner = users["producer_admin"]
    entry = dysprosium_entry()
    buyer = make_client(
        world.company, owner, "Matrix Motoren GmbH", ["purchaser", "consignee", "end_user"]
    )
    world.draft = _draft(owner, buyer, entry)
    world.document = world.draft.documents.first()
    decided = _draft(owner, buyer, entry)
    services.application_submit(actor=owner, application=decided)
    services.application_take(actor=users["reviewer"], application=decided)
    services.application_recommend(
        actor=users["reviewer"], application=decided, recommendation="approve", reasons="ok"
    )
    _app, world.licence = services.application_decide(
        actor=users["approver"], application=decided, decision="approve"
    )
