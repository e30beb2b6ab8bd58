"""Formula cells are neutralised in every CSV / XLSX the portal writes."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from apps.core.spreadsheets import neutralise_cell, neutralise_row, write_csv


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\x00null", '=HYPERLINK("http://x","y")'],
)
def test_text_that_a_spreadsheet_would_execute_gets_an_apostrophe(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Ganzhou Magnetics", "a=b", "", "1C902", "O'Brien"])
def test_ordinary_text_is_left_alone(value):
    assert neutralise_cell(value) == value


def test_numbers_dates_and_empty_cells_keep_their_type():
    row = [-5, Decimal("-1.5"), date(2026, 1, 2), None, 3.5]
    assert neutralise_row(row) == row


def test_csv_output_is_neutralised_and_readable():
    out = io.StringIO()
    write_csv(out, [["name", "value"], ["=cmd|' /C calc'!A0", Decimal("12.500")], ["ok", None]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "value"], ["'=cmd|' /C calc'!A0", "12.500"], ["ok", ""]]
