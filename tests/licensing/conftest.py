"""Applications in every state, built through the real services."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalogue.models import CatalogueEntry
from apps.catalogue.seed import load_entries
from apps.clients.models import Client
from apps.licensing import services
from apps.licensing.models import REQUIRED_DOCUMENTS
from apps.licensing.workflow import ApplicationStatus as S

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def dysprosium_entry() -> CatalogueEntry:
    # Transactional tests flush the rows the data migration seeded: load them again if so.
    if not CatalogueEntry.objects.filter(control_code="1C905").exists():
        load_entries(CatalogueEntry)
    entries = CatalogueEntry.objects.filter(control_code="1C905", sub_item="a").order_by("pk")
    return next(e for e in entries if "metal" in e.forms)


@pytest.fixture
def dysprosium(db):
    return dysprosium_entry()


def make_client(organisation, user, name, roles, country="DE"):
    return Client.objects.create(
        organisation=organisation,
        legal_name=name,
        country=country,
        sector="automotive",
        roles=roles,
        created_by=user,
        name_norm=name.lower(),
    )


@pytest.fixture
def client_book(company, producer):
    buyer = make_client(
        company, producer, "Rheinland Motoren GmbH", ["purchaser", "consignee", "end_user"]
    )
    return {"buyer": buyer}


HEADER = {
    "licence_type": "single",
    "contract_number": "C-2026-001",
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


@pytest.fixture
def make_draft(producer, client_book, dysprosium):
    def make(actor=None, quantity="100.000", **header):
        actor = actor or producer
        app = services.application_create(
            actor=actor,
            data={**HEADER, **header},
            lines=[
                {
                    "catalogue_entry": dysprosium,
                    "form": "metal",
                    "quantity": Decimal(quantity),
                    "unit": "kg",
                    "unit_price": Decimal("350.00"),
                    "currency": "USD",
                    "hs_code": "2805301200",
                    "element_content_pct": Decimal("99.5"),
                }
            ],
        )
        buyer = client_book["buyer"]
        services.application_set_parties(
            actor=actor,
            application=app,
            parties=[(buyer.pk, "purchaser"), (buyer.pk, "consignee"), (buyer.pk, "end_user")],
        )
        for kind in REQUIRED_DOCUMENTS:
            services.document_add(
                actor=actor, application=app, kind=kind, upload=pdf(f"{kind}.pdf")
            )
        return app

    return make


@pytest.fixture
def advance(producer, reviewer, approver):
    """Bring a complete draft to `state` through the services, as real users would."""

    def to(app, state):
        steps = {
            S.DRAFT: [],
            S.SUBMITTED: ["submit"],
            S.UNDER_REVIEW: ["submit", "take"],
            S.INFORMATION_REQUESTED: ["submit", "take", "rfi"],
            S.REVIEWED: ["submit", "take", "recommend"],
            S.APPROVED: ["submit", "take", "recommend", "approve"],
            S.DENIED: ["submit", "take", "recommend", "deny"],
            S.WITHDRAWN: ["submit", "withdraw"],
            S.LAPSED: None,
        }[state]
        for step in steps:
            if step == "submit":
                services.application_submit(actor=producer, application=app)
            elif step == "take":
                services.application_take(actor=reviewer, application=app)
            elif step == "rfi":
                services.rfi_raise(actor=reviewer, application=app, question="Send the EUC.")
            elif step == "recommend":
                services.application_recommend(
                    actor=reviewer, application=app, recommendation="approve", reasons="Complete."
                )
            elif step == "approve":
                services.application_decide(actor=approver, application=app, decision="approve")
            elif step == "deny":
                services.application_decide(
                    actor=approver, application=app, decision="deny", reasons="End use unclear."
                )
            elif step == "withdraw":
                services.application_withdraw(actor=producer, application=app, reason="Cancelled")
        app.refresh_from_db()
        return app

    return to
