"""A producer with a client book and an active licence, built as an approval leaves them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.transactions.demo import demo_client, entry_for, make_licence
from apps.transactions.validation import LineInput, ReportInput


@pytest.fixture
def dysprosium(db):
    return entry_for("1C905.a", "metal")


@pytest.fixture
def buyer(company, producer):
    return demo_client(company, producer, "Rheinland Motoren GmbH", "DE", "automotive")


@pytest.fixture
def other_buyer(company, producer):
    return demo_client(company, producer, "Lyon Semiconducteurs SAS", "FR", "semiconductor")


@pytest.fixture
def licence_factory(company, producer, buyer, dysprosium):
    def make(quantity="100", unit="kg", **kwargs):
        kwargs.setdefault("organisation", company)
        kwargs.setdefault("user", producer)
        kwargs.setdefault("end_user", buyer)
        kwargs.setdefault("entry", dysprosium)
        return make_licence(quantity=Decimal(quantity), unit=unit, **kwargs)

    return make


@pytest.fixture
def licence(licence_factory):
    return licence_factory()


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def cdn(loading: dt.date, serial: int = 12345678) -> str:
    return f"2201{loading.year}0{serial:09d}"


def report_input(held=None, buyer=None, *, lines=None, **overrides) -> ReportInput:
    loading = overrides.pop("loading_date", days_ago(5))
    data = {
        "licence": held.number if held else "",
        "purchaser": buyer.pk if buyer else "",
        "consignee": buyer.pk if buyer else "",
        "end_user": buyer.pk if buyer else "",
        "incoterm": "CIF",
        "contract_date": loading - dt.timedelta(days=20),
        "loading_date": loading,
        "departure_date": loading + dt.timedelta(days=1),
        "arrival_date": loading + dt.timedelta(days=30),
        "origin": "Ganzhou",
        "destination_country": "DE",
        "port_of_clearance": "Shanghai",
        "customs_declaration_number": cdn(loading),
        "reference": "PO-1",
    }
    data.update(overrides)
    if lines is None:
        lines = [LineInput("1C905.a", "metal", "1", "kg", "350.00", "USD", "2805301200")]
    return ReportInput(lines=lines, **data)
