"""Demo data: client books, licences and a year of transaction reports for the demo producers.

The licensing demo is not part of this branch, so the licences are written directly (an
approved application with its line and parties, the licence and its lines), exactly as the
approval would leave them. Reports go through the same bulk path as an upload (validation,
draw-downs, ledger), so the demo balances obey the ledger invariant. Safe to run twice.
"""

import datetime as dt
import io
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Organisation, User
from apps.catalogue.models import CatalogueEntry
from apps.catalogue.seed import load_entries
from apps.clients.matching import normalise_name
from apps.clients.models import Client
from apps.clients.services.entities import link_entity
from apps.licensing.models import (
    Application,
    ApplicationLine,
    ApplicationParty,
    Licence,
    LicenceLine,
)
from apps.transactions import importing
from apps.transactions.models import ImportBatch, TransactionReport

DEMO_CLIENTS = [
    # (legal name, country, sector)
    ("Rheinland Motoren GmbH", "DE", "automotive"),
    ("Bavaria Antriebstechnik AG", "DE", "automotive"),
    ("Lyon Semiconducteurs SAS", "FR", "semiconductor"),
    ("Kansai Precision Magnetics K.K.", "JP", "electronics"),
    ("Hanbit Motors Co., Ltd.", "KR", "automotive"),
    ("Great Lakes Wind Systems Inc.", "US", "wind"),
]
# (producer e-mail, licence suffix, client index, catalogue reference, form, granted kg, country)
DEMO_LICENCES = [
    ("producer@ganzhou-magnetics.demo", 1, 0, "1C905.a", "metal", "2400", "DE"),
    ("producer@ganzhou-magnetics.demo", 2, 3, "1C904.a", "magnet", "5000", "JP"),
    ("producer@ningbo-magnet.demo", 3, 4, "1C902.a", "magnet", "8000", "KR"),
    ("producer@ningbo-magnet.demo", 4, 1, "1C905.a", "alloy", "3000", "DE"),
    ("producer@baotou-separation.demo", 5, 2, "1C907.b", "oxide", "1500", "FR"),
    ("producer@baotou-separation.demo", 6, 5, "1C908.b", "oxide", "6000", "US"),
]
PORTS = {"DE": "Shanghai", "JP": "Ningbo", "KR": "Qingdao", "FR": "Shanghai", "US": "Tianjin"}
ORIGINS = {
    "producer@ganzhou-magnetics.demo": "Ganzhou",
    "producer@ningbo-magnet.demo": "Ningbo",
    "producer@baotou-separation.demo": "Baotou",
}


def demo_client(organisation: Organisation, user: User, name: str, country: str, sector: str):
    client = Client.objects.filter(organisation=organisation, legal_name=name).first()
    if client is None:
        client = Client.objects.create(
            organisation=organisation,
            legal_name=name,
            country=country,
            sector=sector,
            roles=["purchaser", "consignee", "end_user"],
            created_by=user,
            name_norm=normalise_name(name),
        )
        link_entity(client)
    return client


def entry_for(reference: str, form: str) -> CatalogueEntry:
    code, sub = reference.split(".")
    if not CatalogueEntry.objects.filter(control_code=code, sub_item=sub).exists():
        load_entries(CatalogueEntry)
    entries = CatalogueEntry.objects.filter(control_code=code, sub_item=sub).order_by("pk")
    return next(e for e in entries if form in e.forms)


def make_licence(
    *,
    organisation: Organisation,
    user: User,
    end_user: Client,
    entry: CatalogueEntry,
    form: str = "metal",
    quantity: Decimal = Decimal("100"),
    unit: str = "kg",
    destination: str = "DE",
    issued_on: dt.date | None = None,
    number: str | None = None,
    issued_by: User | None = None,
) -> Licence:
    """A licence as an approval leaves it: approved application, lines, parties, balances."""
    issued_on = issued_on or timezone.localdate() - dt.timedelta(days=30)
    app = Application.objects.create(
        organisation=organisation,
        created_by=user,
        status="approved",
        licence_type="general",
        contract_number="C-DEMO",
        contract_date=issued_on - dt.timedelta(days=60),
        trade_mode="general_trade",
        payment_method="tt",
        transport_mode="sea",
        port_of_exit=PORTS.get(destination, "Shanghai"),
        destination_country=destination,
        final_destination="",
        end_use="Permanent magnets for traction motors",
        end_use_sector="automotive",
        catalogue_entry_ids=[entry.pk],  # as the licensing services keep it for the queue
    )
    app_line = ApplicationLine.objects.create(
        application=app,
        position=1,
        catalogue_entry=entry,
        form=form,
        quantity=quantity,
        unit=unit,
        unit_price=Decimal("350.00"),
        currency="USD",
        hs_code=(entry.hs_codes or ["2805301200"])[0],
        controlled_on_submission=True,
        approved_quantity=quantity,
    )
    for role in ("purchaser", "consignee", "end_user"):
        ApplicationParty.objects.create(application=app, client=end_user, role=role)
    serial = Licence.objects.count() + 1
    licence = Licence.objects.create(
        number=number or f"RT-{issued_on.year}-{900000 + serial:06d}",
        application=app,
        organisation=organisation,
        licence_type="general",
        issued_on=issued_on,
        valid_until=issued_on.replace(year=issued_on.year + 3) - dt.timedelta(days=1),
        destination_country=destination,
        port_of_exit=PORTS.get(destination, "Shanghai"),
        transport_mode="sea",
        verification_code="DEMO000000",
        issued_by=issued_by or user,
    )
    LicenceLine.objects.create(
        licence=licence,
        application_line=app_line,
        catalogue_entry=entry,
        form=form,
        hs_code=app_line.hs_code,
        quantity_granted=quantity,
        unit=unit,
        balance=quantity,
    )
    return licence


def _csv_for(licence: Licence, client: Client, origin: str, rng: random.Random, today) -> bytes:
    """About two shipments a month over the licence's life so far, using ~70 % of the grant."""
    line = licence.lines.get()
    start = licence.issued_on
    days = (today - start).days
    shipments = max(4, days // 15)
    budget = line.quantity_granted * Decimal("0.7")
    rows = [importing.COLUMNS]
    for i in range(shipments):
        loading = start + dt.timedelta(days=int(days * (i + 0.5) / shipments))
        if loading >= today:
            break
        qty = (budget / shipments * Decimal(rng.uniform(0.6, 1.4))).quantize(Decimal("0.001"))
        arrival = loading + dt.timedelta(days=rng.randint(18, 40))
        rows.append(
            [
                f"SO-{licence.number[-4:]}-{i + 1:03d}",
                licence.number,
                client.legal_name,
                client.legal_name,
                client.legal_name,
                rng.choice(["CIF", "FOB", "CFR", "DAP"]),
                (loading - dt.timedelta(days=rng.randint(10, 40))).isoformat(),
                loading.isoformat(),
                (loading + dt.timedelta(days=1)).isoformat(),
                arrival.isoformat(),
                origin,
                licence.destination_country,
                licence.port_of_exit,
                f"2201{loading.year}0{rng.randint(1, 999_999_999):09d}",
                f"{line.catalogue_entry.reference}",
                line.form,
                line.hs_code,
                str(qty),
                line.unit,
                str((qty * Decimal("420.00")).quantize(Decimal("0.01"))),
                "USD",
            ]
        )
    out = io.StringIO()
    import csv

    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@transaction.atomic
def seed() -> dict[str, int]:
    from apps.transactions import services

    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    approver = User.objects.filter(email="approver@raretrack.demo").first()
    for email, suffix, client_index, reference, form, granted, country in DEMO_LICENCES:
        user = User.objects.filter(email=email).select_related("membership").first()
        if user is None or not user.membership.organisation.is_verified:
            continue
        organisation = user.membership.organisation
        clients = [demo_client(organisation, user, *c) for c in DEMO_CLIENTS]
        client = clients[client_index]
        number = f"RT-{today.year - 1}-{800000 + suffix:06d}"
        licence = Licence.objects.filter(number=number).first()
        if licence is None:
            licence = make_licence(
                organisation=organisation,
                user=user,
                end_user=client,
                entry=entry_for(reference, form),
                form=form,
                quantity=Decimal(granted),
                destination=country,
                issued_on=today - dt.timedelta(days=365),
                number=number,
                issued_by=approver or user,
            )
        if ImportBatch.objects.filter(
            organisation=organisation, filename=f"demo-{number}.csv"
        ).exists():
            continue
        content = _csv_for(licence, client, ORIGINS[email], rng, today)
        batch = services.import_upload(actor=user, content=content, filename=f"demo-{number}.csv")
        batch = services.import_check(batch.pk, actor=user)
        if batch.status == ImportBatch.Status.VALID:
            services.import_commit(actor=user, batch=batch)
    return {
        "licences with reports": Licence.objects.filter(transaction_reports__isnull=False)
        .distinct()
        .count(),
        "transaction reports": TransactionReport.objects.count(),
    }
