"""Races on PostgreSQL with real threads and separate connections."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from apps.core.errors import DomainError
from apps.licensing.models import LicenceLine
from apps.transactions import services
from apps.transactions.models import LedgerEntry, TransactionReport
from apps.transactions.validation import LineInput
from tests.transactions.conftest import report_input

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(n: int, work) -> list:
    """Start `n` threads behind a barrier; each returns ("ok", value) or ("refused", message)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def body(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except DomainError as exc:
            results[i] = ("refused", exc.message)
        except Exception as exc:
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_fifty_one_unit_reports_against_ten_left_accept_exactly_ten(
    producer, licence_factory, buyer
):
    for _round in range(20):
        licence = licence_factory(quantity="10")
        data = report_input(
            licence, buyer, lines=[LineInput("1C905.a", "metal", "1", "kg", "350", "USD")]
        )
        results = run_at_once(
            50, lambda i, data=data: services.transaction_report(actor=producer, data=data).pk
        )
        outcomes = [r[0] for r in results]
        assert outcomes.count("error") == 0, [r for r in results if r[0] == "error"]
        assert outcomes.count("ok") == 10
        assert outcomes.count("refused") == 40
        for _kind, message in (r for r in results if r[0] == "refused"):
            assert (
                "the licence line has 0.000 kg left" in message
                or "is exhausted: no shipment can be reported against it" in message
            ), message
        line = LicenceLine.objects.get(licence=licence)
        assert line.balance == Decimal("0")
        assert TransactionReport.objects.filter(licence=licence).count() == 10
        assert LedgerEntry.objects.filter(licence_line=line).count() == 10
        licence.refresh_from_db()
        assert licence.status == "exhausted"
