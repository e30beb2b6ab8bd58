"""The licence page's balance chart: by loading date, one scale per line, labelled, with its
figures as a table."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from apps.transactions import chart, selectors, services
from apps.transactions.selectors import BalancePoint
from apps.transactions.validation import LineInput
from tests.transactions.conftest import days_ago, report_input


def shipped(producer, licence, buyer, quantity, loaded_days_ago):
    return services.transaction_report(
        actor=producer,
        data=report_input(
            licence,
            buyer,
            lines=[LineInput("1C905.a", "metal", quantity, "kg", "1", "USD")],
            loading_date=days_ago(loaded_days_ago),
        ),
    )


@pytest.mark.django_db
def test_series_follows_the_loading_date_not_the_filing_order(producer, licence, buyer):
    # given reports filed out of loading order, two on one day, and one cancelled
    shipped(producer, licence, buyer, "10", loaded_days_ago=5)
    shipped(producer, licence, buyer, "20", loaded_days_ago=20)
    shipped(producer, licence, buyer, "2.5", loaded_days_ago=20)
    withdrawn = shipped(producer, licence, buyer, "40", loaded_days_ago=10)
    services.transaction_cancel(actor=producer, report=withdrawn, reason="Held at the port")
    # when
    [series] = selectors.balance_series(licence)
    # then the grant on the day of issue, then one step per loading day, in loading order
    assert series.points == [
        BalancePoint(licence.issued_on, Decimal(0), Decimal("100.000")),
        BalancePoint(days_ago(20), Decimal("22.500"), Decimal("77.500")),
        BalancePoint(days_ago(5), Decimal("10.000"), Decimal("67.500")),
    ]
    licence.lines.get().refresh_from_db()
    assert series.points[-1].left == licence.lines.get().balance


@pytest.mark.django_db
def test_a_correction_counts_at_its_own_loading_date(producer, licence, buyer):
    report = shipped(producer, licence, buyer, "10", loaded_days_ago=20)
    services.transaction_correct(
        actor=producer,
        report=report,
        data=report_input(
            licence,
            buyer,
            lines=[LineInput("1C905.a", "metal", "12", "kg", "1", "USD")],
            loading_date=days_ago(15),
        ),
        reason="Loading date was wrong",
    )
    [series] = selectors.balance_series(licence)
    assert [(p.day, p.left) for p in series.points[1:]] == [(days_ago(15), Decimal("88.000"))]


def _line(granted, unit):
    return SimpleNamespace(quantity_granted=Decimal(granted), unit=unit, catalogue_entry=None)


def test_each_line_has_its_own_scale_and_unit():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 7, 1)
    kg = SimpleNamespace(
        line=_line("500", "kg"),
        points=[
            BalancePoint(start, Decimal(0), Decimal(500)),
            BalancePoint(dt.date(2026, 4, 1), Decimal(250), Decimal(250)),
        ],
    )
    tonnes = SimpleNamespace(
        line=_line("2", "t"), points=[BalancePoint(start, Decimal(0), Decimal(2))]
    )
    first, second = chart.balance_charts([kg, tonnes], start=start, end=end)
    # the grant is the top of each chart, whatever its size and unit
    assert first["y_ticks"][-1]["label"] == "500"
    assert second["y_ticks"][-1]["label"] == "2"
    assert [t["label"] for t in first["y_ticks"]] == ["0", "125", "250", "375", "500"]
    assert [t["label"] for t in second["y_ticks"]] == ["0", "0.5", "1", "1.5", "2"]
    # half the grant loaded on 1 April: the step holds at the top until then, drops to the
    # middle of the scale and holds there to the end
    top, middle = first["y_ticks"][-1]["y"], first["y_ticks"][2]["y"]
    x_april = first["markers"][0]["x"]
    assert first["markers"][0]["y"] == middle
    assert first["points"] == (
        f"{float(first['left'])},{top} {x_april},{top} {x_april},{middle} "
        f"{float(first['right'])},{middle}"
    )
    assert second["markers"] == []


@pytest.mark.parametrize(
    ("start", "end", "ticks", "fmt"),
    [
        (dt.date(2026, 1, 15), dt.date(2026, 7, 1), 6, "M Y"),  # Feb .. Jul
        (dt.date(2025, 1, 1), dt.date(2026, 12, 31), 4, "M Y"),  # every 6 months
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), 5, "j M"),  # weekly
        (dt.date(2026, 3, 1), dt.date(2026, 3, 5), 5, "j M"),  # daily
    ],
)
def test_date_ticks_stay_few_and_round(start, end, ticks, fmt):
    found, date_format = chart.x_ticks(start, end)
    assert (len(found), date_format) == (ticks, fmt)
    assert all(start <= day <= end for day in found)
    if fmt == "M Y":
        assert {day.day for day in found} == {1}


def test_axis_labels_are_compact():
    assert [chart.compact(Decimal(v)) for v in ("100.000", "12.500", "0.250", "1E+3")] == [
        "100",
        "12.5",
        "0.25",
        "1000",
    ]


@pytest.mark.django_db
def test_licence_page_shows_labelled_charts_and_their_table(
    client_for, producer, reviewer, licence, buyer
):
    shipped(producer, licence, buyer, "30", loaded_days_ago=12)
    for user in (producer, reviewer):
        page = client_for(user).get(reverse("transactions:licence_ledger", args=[licence.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "Balance left (kg)" in content
        assert ">Loading date</text>" in content
        assert 'role="img" aria-labelledby="chart-1-title chart-1-desc"' in content
        assert f"{days_ago(12):%Y-%m-%d}: 30.000 kg loaded, 70.000 kg left" in content
        assert "From 100.000 kg on" in content
        assert "after 1 loading day;" in content
        [table] = page.context["charts"]
        assert [(p.shipped, p.left) for p in table["table"]] == [
            (Decimal(0), Decimal("100.000")),
            (Decimal("30.000"), Decimal("70.000")),
        ]
