"""Formula-injection protection for every CSV / XLSX the portal writes.

A spreadsheet program executes a cell that begins with = + - @ (or a tab, carriage return or NUL
that hides one), so a client name like `=HYPERLINK(...)` typed by a producer could run on an
official's machine. Text cells that begin with one of these get a leading apostrophe, which makes
spreadsheet programs show the text as typed. Numbers stay numbers. The bulk SQL exports apply the
same rule in SQL (audit exports).
"""

import csv
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def neutralise_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(row: Iterable) -> list:
    return [neutralise_cell(value) for value in row]


def neutralise_rows(rows: Iterable[Iterable]):
    for row in rows:
        yield neutralise_row(row)


def write_csv(out, rows: Iterable[Iterable]) -> None:
    """Write rows to a text stream as CSV, every text cell neutralised."""
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_plain(v) for v in neutralise_row(row)])


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else value
