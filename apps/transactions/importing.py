"""Reading bulk files (CSV, XLSX, the API's JSON) into report inputs, one row at a time.

Rows are streamed, never all held in memory: a 100,000-row file is read twice (check, then
commit) with a small, constant footprint. One row is one report with one line; the file's line
number (the header is line 1) names the row in every message.
"""

import csv
import io
import json
from collections.abc import Iterator

from django.utils.translation import gettext as _

from apps.transactions.validation import LineInput, ReportInput

COLUMNS = [
    "reference",
    "licence_number",
    "purchaser",
    "consignee",
    "end_user",
    "incoterm",
    "contract_date",
    "loading_date",
    "departure_date",
    "arrival_date",
    "origin",
    "destination_country",
    "port_of_clearance",
    "customs_declaration_number",
    "item",
    "form",
    "hs_code",
    "quantity",
    "unit",
    "value",
    "currency",
]
REQUIRED = set(COLUMNS) - {"reference", "licence_number", "hs_code"}
EXAMPLE = [
    "PO-2026-0412",
    "RT-2026-000001",
    "Rheinland Motoren GmbH",
    "Rheinland Motoren GmbH",
    "Rheinland Motoren GmbH",
    "CIF",
    "2026-01-05",
    "2026-02-02",
    "2026-02-03",
    "2026-03-10",
    "Ganzhou",
    "DE",
    "Shanghai",
    "220120260012345678",
    "1C905.a",
    "metal",
    "2805301200",
    "12.500",
    "kg",
    "4375.00",
    "USD",
]


class FileProblem(Exception):
    """The file cannot be read at all (wrong format, missing columns)."""


def row_to_input(row: dict) -> ReportInput:
    def cell(name):
        value = row.get(name)
        return "" if value is None else value

    return ReportInput(
        reference=str(cell("reference")),
        licence=str(cell("licence_number")),
        purchaser=cell("purchaser"),
        consignee=cell("consignee"),
        end_user=cell("end_user"),
        incoterm=str(cell("incoterm")),
        contract_date=cell("contract_date"),
        loading_date=cell("loading_date"),
        departure_date=cell("departure_date"),
        arrival_date=cell("arrival_date"),
        origin=str(cell("origin")),
        destination_country=str(cell("destination_country")),
        port_of_clearance=str(cell("port_of_clearance")),
        customs_declaration_number=str(cell("customs_declaration_number")),
        lines=[
            LineInput(
                item=cell("item"),
                form=str(cell("form")),
                quantity=cell("quantity"),
                unit=str(cell("unit")),
                value=cell("value"),
                currency=str(cell("currency")),
                hs_code=str(cell("hs_code")),
            )
        ],
    )


def json_to_input(item: dict) -> ReportInput:
    """The API's report shape: header fields plus a list of lines."""
    if not isinstance(item, dict):
        item = {}
    lines = item.get("lines") if isinstance(item.get("lines"), list) else []
    return ReportInput(
        reference=str(item.get("reference") or ""),
        licence=str(item.get("licence_number") or ""),
        purchaser=item.get("purchaser") or "",
        consignee=item.get("consignee") or "",
        end_user=item.get("end_user") or "",
        incoterm=str(item.get("incoterm") or ""),
        contract_date=item.get("contract_date"),
        loading_date=item.get("loading_date"),
        departure_date=item.get("departure_date"),
        arrival_date=item.get("arrival_date"),
        origin=str(item.get("origin") or ""),
        destination_country=str(item.get("destination_country") or ""),
        port_of_clearance=str(item.get("port_of_clearance") or ""),
        customs_declaration_number=str(item.get("customs_declaration_number") or ""),
        lines=[
            LineInput(
                item=(line or {}).get("item") or "",
                form=str((line or {}).get("form") or ""),
                quantity=(line or {}).get("quantity"),
                unit=str((line or {}).get("unit") or ""),
                value=(line or {}).get("value"),
                currency=str((line or {}).get("currency") or ""),
                hs_code=str((line or {}).get("hs_code") or ""),
            )
            for line in lines
            if isinstance(line, dict)
        ],
    )


def _check_header(header: list[str]) -> list[str]:
    names = [str(h or "").strip().lower() for h in header]
    missing = [c for c in COLUMNS if c in REQUIRED and c not in names]
    if missing:
        raise FileProblem(
            _("Line 1: the header lacks the columns %(cols)s (download the template).")
            % {"cols": ", ".join(missing)}
        )
    return names


def _csv_row_reader(names: list[str]):
    """A function from a CSV row (a list of strings) to a ReportInput, by column position.

    The same as row_to_input(dict(zip(names, row))) without building a dict per row; a column
    the header lacks, or a short row's missing cells, read as "".
    """
    width = len(names)
    position = {name: names.index(name) for name in COLUMNS if name in names}
    pick = [position.get(name, width) for name in COLUMNS]  # `width` is the padding ""
    (ref, lic, pur, con, end, inc, cd, ld, dd, ad, ori, dst, port, cdn, item, form, hs, qty,
     unit, val, cur) = pick  # fmt: skip

    def read(row: list[str]) -> ReportInput:
        if len(row) != width:
            row = (row + [""] * width)[:width]
        row.append("")
        return ReportInput(
            reference=row[ref],
            licence=row[lic],
            purchaser=row[pur],
            consignee=row[con],
            end_user=row[end],
            incoterm=row[inc],
            contract_date=row[cd],
            loading_date=row[ld],
            departure_date=row[dd],
            arrival_date=row[ad],
            origin=row[ori],
            destination_country=row[dst],
            port_of_clearance=row[port],
            customs_declaration_number=row[cdn],
            lines=[
                LineInput(
                    item=row[item],
                    form=row[form],
                    quantity=row[qty],
                    unit=row[unit],
                    value=row[val],
                    currency=row[cur],
                    hs_code=row[hs],
                )
            ],
        )

    return read


def iter_csv(stream) -> Iterator[tuple[int, ReportInput]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem(_("The file is empty.")) from None
    except (UnicodeDecodeError, csv.Error):
        raise FileProblem(_("The file is not a UTF-8 CSV file.")) from None
    read = _csv_row_reader(_check_header(header))
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            yield reader.line_num, read(row)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FileProblem(
            _("Line %(n)s: the file cannot be read as UTF-8 CSV (%(e)s).")
            % {"n": reader.line_num + 1, "e": exc}
        ) from None


def iter_xlsx(stream) -> Iterator[tuple[int, ReportInput]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem(
            _("The file is not a readable XLSX workbook (%(e)s).") % {"e": exc}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            raise FileProblem(_("The file is empty.")) from None
        names = _check_header(list(header))
        for number, row in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in row):
                continue
            values = {}
            for name, cell in zip(names, row, strict=False):
                # A declaration number typed as a number survives only if Excel kept it whole;
                # a float (18 digits do not fit a double) stays a float and is refused.
                if name == "customs_declaration_number" and type(cell) is int:
                    cell = str(cell)
                values[name] = cell
            yield number, row_to_input(values)
    finally:
        workbook.close()


def iter_json(stream) -> Iterator[tuple[int, ReportInput]]:
    try:
        payload = json.load(stream)
    except ValueError:
        raise FileProblem(_("The body is not JSON.")) from None
    items = payload.get("reports") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise FileProblem(_('The body needs a "reports" list.'))
    for number, item in enumerate(items, start=1):
        yield number, json_to_input(item)


READERS = {"csv": iter_csv, "xlsx": iter_xlsx, "json": iter_json}
LABEL = {"csv": _("Line"), "xlsx": _("Line"), "json": _("Report")}


def count_rows(content: bytes, file_format: str) -> int:
    """Rows in a file without parsing it (for choosing between in-request and a task)."""
    if file_format == "csv":
        lines = content.count(b"\n")
        if content and not content.endswith(b"\n"):
            lines += 1
        return max(lines - 1, 0)
    if file_format == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True)
            rows = workbook.worksheets[0].max_row or 1
            workbook.close()
        except Exception:
            return 0
        return max(rows - 1, 0)
    try:
        items = json.loads(content).get("reports", [])
    except (ValueError, AttributeError):
        return 0
    return len(items) if isinstance(items, list) else 0


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE)
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "reports"
    sheet.append(COLUMNS)
    sheet.append(EXAMPLE)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
