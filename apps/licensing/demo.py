"""Demo data for licensing: applications in every state, licences in every state, overdue and
fast-track cases. Safe to run twice: each demo case is keyed by its contract number.

Everything goes through the real services, as users would. Only time is faked: a dedicated
helper moves a case's history into the past and then recomputes its clock with
`clock.derived_fields`, so overdue cases are overdue by the same rules as real ones.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import CatalogueEntry
from apps.clients.matching import normalise_name
from apps.clients.models import Client
from apps.licensing import clock, services
from apps.licensing.models import REQUIRED_DOCUMENTS, Application, LicenceLine

PDF = b"%PDF-1.4\n% RareTrack demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CLIENTS = [
    ("Rheinland Motoren GmbH", "DE", "automotive"),
    ("Kansai Precision Motors K.K.", "JP", "automotive"),
    ("Hanbit Semiconductor Co., Ltd.", "KR", "semiconductor"),
    ("Great Lakes Drive Systems Inc.", "US", "electronics"),
]

# (key, producer e-mail, client index, element, quantities, target, options)
CASES = [
    ("draft", "staff@ganzhou-magnetics.demo", 0, "Dy", ["250"], "draft", {}),
    ("submitted", "producer@ganzhou-magnetics.demo", 0, "Tb", ["40"], "submitted", {}),
    ("submitted-ft", "producer@ningbo-magnet.demo", 2, "Sc", ["12"], "submitted", {"ft": True}),
    ("review", "producer@ganzhou-magnetics.demo", 1, "Dy", ["500", "120"], "under_review", {}),
    (
        "review-late",
        "producer@baotou-separation.demo",
        3,
        "Y",
        ["2000"],
        "under_review",
        {"days": 95},
    ),
    (
        "review-ft",
        "producer@ningbo-magnet.demo",
        1,
        "Sm",
        ["300"],
        "under_review",
        {"ft": True, "days": 20},
    ),
    ("rfi", "producer@ganzhou-magnetics.demo", 2, "Gd", ["80"], "information_requested", {}),
    (
        "rfi-overdue",
        "producer@baotou-separation.demo",
        0,
        "Lu",
        ["5"],
        "information_requested",
        {"days": 60},
    ),
    ("reviewed", "producer@ningbo-magnet.demo", 0, "Tb", ["60"], "reviewed", {"days": 30}),
    (
        "reviewed-late",
        "producer@ganzhou-magnetics.demo",
        3,
        "Dy",
        ["900"],
        "reviewed",
        {"days": 80},
    ),
    ("denied", "producer@baotou-separation.demo", 3, "Y", ["100"], "denied", {}),
    ("withdrawn", "producer@ningbo-magnet.demo", 1, "Sm", ["20"], "withdrawn", {}),
    ("lapsed", "producer@ganzhou-magnetics.demo", 1, "Gd", ["70"], "lapsed", {"days": 70}),
    ("lic-active", "producer@ganzhou-magnetics.demo", 0, "Dy", ["400", "100"], "approved", {}),
    (
        "lic-suspended",
        "producer@ningbo-magnet.demo",
        2,
        "Tb",
        ["30"],
        "approved",
        {"licence": "suspend"},
    ),
    (
        "lic-revoked",
        "producer@baotou-separation.demo",
        3,
        "Y",
        ["800"],
        "approved",
        {"licence": "revoke"},
    ),
    (
        "lic-expired",
        "producer@ganzhou-magnetics.demo",
        1,
        "Sm",
        ["150"],
        "approved",
        {"licence": "expire"},
    ),
    (
        "lic-exhausted",
        "producer@ningbo-magnet.demo",
        0,
        "Dy",
        ["90"],
        "approved",
        {"licence": "exhaust"},
    ),
    (
        "lic-surrendered",
        "producer@ganzhou-magnetics.demo",
        2,
        "Sc",
        ["10"],
        "approved",
        {"licence": "surrender"},
    ),
]


def seed() -> dict[str, int]:
    reviewer = User.objects.filter(email="reviewer@raretrack.demo").first()
    approver = User.objects.filter(email="approver@raretrack.demo").first()
    if reviewer is None or approver is None or not CatalogueEntry.objects.exists():
        return {"demo applications": 0}
    created = 0
    for key, email, client_index, symbol, quantities, target, options in CASES:
        producer = User.objects.filter(email=email).select_related("membership").first()
        if producer is None:
            continue
        contract = f"DEMO-{key.upper()}"
        organisation = producer.membership.organisation
        if Application.objects.filter(organisation=organisation, contract_number=contract).exists():
            continue
        with transaction.atomic():
            _build(
                producer,
                reviewer,
                approver,
                contract,
                client_index,
                symbol,
                quantities,
                target,
                options,
            )
        created += 1
    return {"demo applications": created}


def _client(producer, index: int) -> Client:
    name, country, sector = CLIENTS[index]
    organisation = producer.membership.organisation
    client = Client.objects.filter(organisation=organisation, legal_name=name).first()
    return client or Client.objects.create(
        organisation=organisation,
        legal_name=name,
        country=country,
        sector=sector,
        roles=["purchaser", "consignee", "end_user"],
        created_by=producer,
        name_norm=normalise_name(name),
    )


def _entry(symbol: str) -> CatalogueEntry | None:
    entries = CatalogueEntry.objects.filter(symbol=symbol, sub_item="a").order_by("pk")
    return next((e for e in entries if "metal" in e.forms), entries.first())


def _build(
    producer, reviewer, approver, contract, client_index, symbol, quantities, target, options
):
    client = _client(producer, client_index)
    app = services.application_create(
        actor=producer,
        data={
            "licence_type": "single",
            "contract_number": contract,
            "contract_date": timezone.localdate() - timedelta(days=30),
            "trade_mode": "general_trade",
            "payment_method": "lc",
            "transport_mode": "sea",
            "port_of_exit": "Shanghai",
            "destination_country": str(client.country),
            "final_destination": client.legal_name,
            "end_use": "Permanent magnets for traction motors",
            "end_use_sector": client.sector,
        },
        lines=[
            {
                "catalogue_entry": _entry(symbol),
                "form": "metal",
                "quantity": Decimal(quantity),
                "unit": "kg",
                "unit_price": Decimal("420.00"),
                "currency": "USD",
                "hs_code": "2805301910",
                "element_content_pct": Decimal("99.9"),
            }
            for quantity in quantities
        ],
    )
    services.application_set_parties(
        actor=producer,
        application=app,
        parties=[(client.pk, "purchaser"), (client.pk, "consignee"), (client.pk, "end_user")],
    )
    for kind in REQUIRED_DOCUMENTS:
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf")
        services.document_add(actor=producer, application=app, kind=kind, upload=upload)
    if target == "draft":
        return
    services.application_submit(actor=producer, application=app)
    if options.get("ft"):
        services.application_set_fast_track(
            actor=reviewer, application=app, fast_track=True, reason="Trusted EU/JP end user"
        )
    if target == "withdrawn":
        services.application_withdraw(actor=producer, application=app, reason="Order cancelled")
    if target in ("submitted", "withdrawn"):
        _backdate(app, options.get("days", 0))
        return
    services.application_take(actor=reviewer, application=app)
    if target in ("information_requested", "lapsed"):
        services.rfi_raise(
            actor=reviewer, application=app, question="Send the signed end-user certificate."
        )
        _backdate(app, options.get("days", 0))
        if target == "lapsed":
            services.application_close_lapsed(
                actor=reviewer, application=app, reason="No answer within 20 working days."
            )
        return
    if target == "under_review":
        services.note_add(actor=reviewer, application=app, body="Checked the buyer's registry.")
        _backdate(app, options.get("days", 0))
        return
    services.application_recommend(
        actor=reviewer,
        application=app,
        recommendation="deny" if target == "denied" else "approve",
        reasons="Documents complete; end user verified.",
    )
    if target == "reviewed":
        _backdate(app, options.get("days", 0))
        return
    if target == "denied":
        services.application_decide(
            actor=approver, application=app, decision="deny", reasons="End use not credible."
        )
        return
    _app, licence = services.application_decide(
        actor=approver, application=app, decision="approve", conditions="No re-export."
    )
    _licence_state(licence, options.get("licence"), producer, approver)


def _licence_state(licence, state, producer, approver) -> None:
    if state in ("suspend", "revoke"):
        services.licence_transition(
            actor=approver, licence=licence, action=state, reason="Demo: end-use check pending"
        )
    elif state == "surrender":
        services.licence_transition(
            actor=producer, licence=licence, action="surrender", reason="Contract ended"
        )
    elif state == "expire":
        services.licence_transition(actor=None, licence=licence, action="expire")
    elif state == "exhaust":
        # Demo stand-in for the shipments that used it up (transaction reports come later).
        LicenceLine.objects.filter(licence=licence).update(balance=0)
        services.licence_transition(actor=None, licence=licence, action="exhaust")


def _backdate(app: Application, days: int) -> None:
    """Demo only: pretend the case's history happened `days` calendar days ago, then derive
    its clock again from that history (never set the clock columns by hand)."""
    if not days:
        return
    shift = timedelta(days=days)
    for transition in app.transitions.all():
        transition.occurred_on -= shift
        transition.save(update_fields=["occurred_on"])
    for rfi in app.information_requests.all():
        rfi.raised_on -= shift
        rfi.due_on -= shift
        rfi.save(update_fields=["raised_on", "due_on"])
    app.refresh_from_db()
    fields = {"accepted_on": app.accepted_on - shift if app.accepted_on else None}
    if app.submitted_at:
        fields["submitted_at"] = app.submitted_at - shift
    for name, value in fields.items():
        setattr(app, name, value)
    fields.update(clock.derived_fields(app, list(app.transitions.all())))
    Application.objects.filter(pk=app.pk).update(**fields)
