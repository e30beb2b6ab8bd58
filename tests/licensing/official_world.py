"""Cases, licences and amendments for the officials' tests and the access matrix, built through
the real services as users would (no fixtures needed, so the access matrix can call them)."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalogue.models import CatalogueEntry
from apps.catalogue.services import catalogue_seed
from apps.clients.models import Client
from apps.licensing import services
from apps.licensing.models import REQUIRED_DOCUMENTS
from apps.licensing.workflow import ApplicationStatus as S

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HEADER = {
    "licence_type": "single",
    "contract_number": "C-2026-077",
    "contract_date": date(2026, 1, 5),
    "trade_mode": "general_trade",
    "payment_method": "tt",
    "transport_mode": "sea",
    "port_of_exit": "Shanghai",
    "destination_country": "DE",
    "final_destination": "Stuttgart",
    "end_use": "Traction motors for electric cars",
    "end_use_sector": "automotive",
}


def catalogue_entry(symbol: str = "Dy") -> CatalogueEntry:
    if not CatalogueEntry.objects.filter(symbol=symbol).exists():
        catalogue_seed()  # transactional tests flush what the data migration loaded
    entries = CatalogueEntry.objects.filter(symbol=symbol, sub_item="a").order_by("pk")
    return next(e for e in entries if "metal" in e.forms)


def buyer_for(producer, name: str = "Rheinland Motoren GmbH", country: str = "DE") -> Client:
    organisation = producer.membership.organisation
    client = Client.objects.filter(organisation=organisation, legal_name=name).first()
    return client or Client.objects.create(
        organisation=organisation,
        legal_name=name,
        country=country,
        sector="automotive",
        roles=["purchaser", "consignee", "end_user"],
        created_by=producer,
        name_norm=name.lower(),
    )


def draft(producer, *, quantities=("100.000",), symbol="Dy", **header):
    entry = catalogue_entry(symbol)
    app = services.application_create(
        actor=producer,
        data={**HEADER, **header},
        lines=[
            {
                "catalogue_entry": entry,
                "form": "metal",
                "quantity": Decimal(quantity),
                "unit": "kg",
                "unit_price": Decimal("350.00"),
                "currency": "USD",
                "hs_code": "2805301200",
                "element_content_pct": Decimal("99.5"),
            }
            for quantity in quantities
        ],
    )
    buyer = buyer_for(producer)
    services.application_set_parties(
        actor=producer,
        application=app,
        parties=[(buyer.pk, "purchaser"), (buyer.pk, "consignee"), (buyer.pk, "end_user")],
    )
    for kind in REQUIRED_DOCUMENTS:
        services.document_add(
            actor=producer,
            application=app,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf"),
        )
    return app


def case(producer, reviewer=None, approver=None, state=S.SUBMITTED, **kwargs):
    """A case brought to `state` through the services."""
    app = draft(producer, **kwargs)
    services.application_submit(actor=producer, application=app)
    if state == S.SUBMITTED:
        return refreshed(app)
    services.application_take(actor=reviewer, application=app)
    if state == S.UNDER_REVIEW:
        return refreshed(app)
    if state == S.INFORMATION_REQUESTED:
        services.rfi_raise(actor=reviewer, application=app, question="Send the signed EUC.")
        return refreshed(app)
    services.application_recommend(
        actor=reviewer, application=app, recommendation="approve", reasons="Complete and clear."
    )
    if state == S.REVIEWED:
        return refreshed(app)
    if state == S.APPROVED:
        services.application_decide(actor=approver, application=app, decision="approve")
    elif state == S.DENIED:
        services.application_decide(
            actor=approver, application=app, decision="deny", reasons="End use unclear."
        )
    return refreshed(app)


def refreshed(app):
    app.refresh_from_db()
    return app


def licence(producer, reviewer, approver):
    return case(producer, reviewer, approver, state=S.APPROVED).licence


def amendment(producer, licence_obj):
    return services.amendment_request(
        actor=producer,
        licence=licence_obj,
        changes={"port_of_exit": "Ningbo"},
        justification="The ship now leaves from Ningbo.",
    )


def make_rfi_overdue(app, days: int = 40) -> None:
    """Move the open request's due date into the past (as if weeks went by unanswered)."""
    rfi = app.information_requests.get(status="open")
    rfi.due_on = date.today() - timedelta(days=days)
    rfi.save(update_fields=["due_on"])


class ReviewWorld:
    """Lazy objects for the access matrix: built only by the URLs that point at them."""

    def __init__(self, world):
        self._world = world
        self._cache = {}

    def _get(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def _users(self):
        return self._world.users

    @property
    def case(self):
        return self._get("case", lambda: case(self._users["producer"]))

    @property
    def document(self):
        return self.case.documents.first()

    @property
    def licence(self):
        return self._get(
            "licence",
            lambda: licence(
                self._users["producer"], self._users["reviewer"], self._users["approver"]
            ),
        )

    @property
    def amendment(self):
        return self._get("amendment", lambda: amendment(self._users["producer"], self.licence))
