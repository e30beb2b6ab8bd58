"""The demo seed: a year of reports through the bulk path, the ledger adding up, twice-safe."""

import pytest
from django.db.models import Sum

from apps.accounts import demo as accounts_demo
from apps.licensing.models import LicenceLine
from apps.transactions import demo
from apps.transactions.models import LedgerEntry, TransactionReport

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_the_ledger_adds_up():
    accounts_demo.seed()
    first = demo.seed()
    assert first["transaction reports"] > 100
    assert first["licences with reports"] == 6
    assert demo.seed() == first
    for line in LicenceLine.objects.all():
        drawn = LedgerEntry.objects.filter(licence_line=line).aggregate(s=Sum("amount"))["s"] or 0
        assert line.balance == line.quantity_granted - drawn
    dates = TransactionReport.objects.values_list("loading_date", flat=True)
    assert (max(dates) - min(dates)).days > 300
