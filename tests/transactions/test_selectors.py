"""Officials' search and flags, per-entity totals, monthly returns and what is overdue."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from apps.core.errors import ConflictError, DomainError
from apps.transactions import selectors, services
from apps.transactions.models import MonthlyReturn, TransactionReport
from apps.transactions.validation import LineInput
from tests.transactions.conftest import report_input

pytestmark = pytest.mark.django_db


def file(producer, licence, buyer, quantity="1", **overrides):
    return services.transaction_report(
        actor=producer,
        data=report_input(
            licence,
            buyer,
            lines=[LineInput("1C905.a", "metal", quantity, "kg", "1", "USD")],
            **overrides,
        ),
    )


def test_official_search_filters_and_flags_in_sql(reviewer, producer, licence_factory, buyer):
    licence = licence_factory(quantity="10000")
    for _ in range(6):
        file(producer, licence, buyer, "10")
    big = file(producer, licence, buyer, "500")
    found = selectors.official_search(reviewer, kg_min=Decimal("100"))
    assert list(found) == [big]
    assert selectors.statistical_flags([big.pk])[big.pk] == {"volume"}
    # A report whose destination differs from the licence (e.g. loaded before an amendment).
    TransactionReport.objects.filter(pk=big.pk).update(destination_country="FR")
    flagged = selectors.official_search(reviewer, flagged="destination")
    assert list(flagged) == [big]
    assert selectors.official_search(reviewer, licence=licence.number).count() == 7
    assert selectors.official_search(producer).count() == 0


def test_structuring_flags_many_shipments_just_under_a_round_threshold(
    reviewer, producer, licence_factory, buyer
):
    licence = licence_factory(quantity="10000")
    reports = [file(producer, licence, buyer, q) for q in ("990", "985", "995")]
    flags = selectors.statistical_flags([r.pk for r in reports])
    assert all("structuring" in flags[r.pk] for r in reports)


def test_late_filing_is_flagged(reviewer, producer, licence_factory, buyer):
    licence = licence_factory(issued_on=dt.date.today() - dt.timedelta(days=100))
    late = file(producer, licence, buyer, loading_date=dt.date.today() - dt.timedelta(days=45))
    assert selectors.report_flags(late) == ["late"]
    assert selectors.report_flags(file(producer, licence, buyer)) == []
    assert list(selectors.official_search(reviewer, flagged="late")) == [late]


def test_entity_totals_group_by_client_entity(reviewer, producer, licence, buyer):
    file(producer, licence, buyer, "2")
    file(producer, licence, buyer, "3")
    rows = list(selectors.entity_totals(reviewer))
    assert [(r.pk, r.total_kg, r.shipments, r.producers) for r in rows] == [
        (buyer.entity_id, Decimal("5.000"), 2, 1)
    ]


def test_monthly_return_confirms_once_with_totals_and_allows_nil(producer, licence, buyer):
    report = file(producer, licence, buyer, "4")
    month = report.loading_date.replace(day=1)
    if month == dt.date.today().replace(day=1):
        with pytest.raises(DomainError):
            services.monthly_return_confirm(actor=producer, month=month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    confirmed = services.monthly_return_confirm(actor=producer, month=month)
    assert (
        confirmed.totals["reports"]
        == TransactionReport.objects.filter(
            loading_date__gte=month, loading_date__lt=(month + dt.timedelta(days=32)).replace(day=1)
        ).count()
    )
    with pytest.raises(ConflictError):
        services.monthly_return_confirm(actor=producer, month=month)
    nil = services.monthly_return_confirm(
        actor=producer, month=(month - dt.timedelta(days=1)).replace(day=1)
    )
    assert nil.nil_return is True


def test_returns_missing_lists_companies_past_the_tenth(company, producer, other_company):
    company.verified_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    company.save(update_fields=["verified_at"])
    other_company.verified_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    other_company.save(update_fields=["verified_at"])
    MonthlyReturn.objects.create(
        organisation=company,
        month=dt.date(2026, 2, 1),
        totals={},
        confirmed_by=producer,
        confirmed_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC),
    )
    on_tenth = {(o.pk, m) for o, m in selectors.returns_missing(dt.date(2026, 3, 10))}
    assert (company.pk, dt.date(2026, 2, 1)) not in on_tenth
    assert (other_company.pk, dt.date(2026, 2, 1)) not in on_tenth  # not due until the 10th
    on_eleventh = {(o.pk, m) for o, m in selectors.returns_missing(dt.date(2026, 3, 11))}
    assert (other_company.pk, dt.date(2026, 2, 1)) in on_eleventh
    assert (company.pk, dt.date(2026, 2, 1)) not in on_eleventh
    assert (company.pk, dt.date(2026, 1, 1)) in on_eleventh


def test_returns_page_confirms_a_month(client_for, producer, company):
    company.verified_at = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    company.save(update_fields=["verified_at"])
    with time_machine.travel(dt.datetime(2026, 5, 3, 12, tzinfo=dt.UTC), tick=False):
        client = client_for(producer)
        page = client.get(reverse("transactions:returns"))
        assert page.status_code == 200
        assert b"2026-04" in page.content
        answer = client.post(reverse("transactions:returns"), {"month": "2026-04"}, follow=True)
        assert b"Return for 2026-04 confirmed." in answer.content
        assert MonthlyReturn.objects.get().nil_return is True


def test_returns_page_lists_only_months_since_verification(client_for, producer, company):
    company.verified_at = dt.datetime(2026, 3, 15, tzinfo=dt.UTC)
    company.save(update_fields=["verified_at"])
    with time_machine.travel(dt.datetime(2026, 5, 3, 12, tzinfo=dt.UTC), tick=False):
        page = client_for(producer).get(reverse("transactions:returns"))
    months = [row["month"] for row in page.context["rows"]]
    assert months == [dt.date(2026, 4, 1), dt.date(2026, 3, 1)]


def test_licence_ledger_page_draws_the_balance_chart(
    client_for, producer, reviewer, licence, buyer
):
    file(producer, licence, buyer, "30")
    for user in (producer, reviewer):
        page = client_for(user).get(reverse("transactions:licence_ledger", args=[licence.pk]))
        assert page.status_code == 200
        assert b"<polyline" in page.content
        assert b"70.000 kg" in page.content


def test_form_files_a_report_and_shows_refusals_on_the_form(client_for, producer, licence, buyer):
    from apps.transactions.demo import entry_for

    client = client_for(producer)
    loading = dt.date.today() - dt.timedelta(days=3)
    data = {
        "reference": "F-1",
        "licence": licence.number,
        "purchaser": buyer.pk,
        "consignee": buyer.pk,
        "end_user": buyer.pk,
        "incoterm": "CIF",
        "contract_date": loading - dt.timedelta(days=9),
        "loading_date": loading,
        "departure_date": loading,
        "arrival_date": loading + dt.timedelta(days=20),
        "origin": "Ganzhou",
        "destination_country": "DE",
        "port_of_clearance": "Shanghai",
        "customs_declaration_number": f"2201{loading.year}0000000042",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": entry_for("1C905.a", "metal").pk,
        "lines-0-form": "metal",
        "lines-0-quantity": "120",
        "lines-0-unit": "kg",
        "lines-0-value": "100",
        "lines-0-currency": "USD",
    }
    refused = client.post(reverse("transactions:report_create"), data)
    assert refused.status_code == 200
    assert b"Line 1: 120.000 kg asked, the licence line has 100.000 kg left" in refused.content
    data["lines-0-quantity"] = "12"
    accepted = client.post(reverse("transactions:report_create"), data, follow=True)
    assert b"12.000 kg drawn from the licence" in accepted.content
    balances = client.get(reverse("transactions:balances"))
    assert b"88.000 kg" in balances.content
