"""Writing a dataset to a file with constant memory, whatever its size.

On PostgreSQL, CSV and JSON Lines are produced by the server with `COPY (SELECT ...) TO STDOUT`
read from libpq in blocks (copy_out.py; the DRF / ORM paths cost 7-37x more): formula cells are
neutralised, and JSON lines built, in the SELECT itself. XLSX, and every format on SQLite
(`make run`), iterate the query in chunks and write row by row. Progress is published on a side
connection: the main one is busy streaming.
"""

import csv
import hashlib
import io
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.db import connection, connections
from django.db.models.expressions import Col
from django.db.models.sql.constants import LOUTER

from apps.audit import copy_out
from apps.audit.datasets.registry import Column, Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
# ascii() of the first character: = + - @ TAB CR. PostgreSQL text can never hold NUL.
_FORMULA_CODES = "61, 43, 45, 64, 9, 13"
_BUFFER_BYTES = 1 << 20
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ITERATOR_CHUNK = 2000
_TEXT_TYPES = ("varchar", "text", "char", "citext")

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class WriteResult:
    row_count: int
    sha256: str
    size_bytes: int


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV advice)."""
    return "'" + value if value and value.startswith(FORMULA_STARTS) else value


def write(
    dataset: Dataset,
    cleaned: dict,
    fmt: str,
    target: Path,
    on_progress: ProgressCallback | None = None,
) -> WriteResult:
    """Write the export to `target` and return its row count, SHA-256 and size."""
    progress = on_progress or (lambda rows: None)
    with target.open("wb") as raw:
        sink = _HashingSink(raw)
        if fmt == "xlsx":
            rows = _write_xlsx(dataset, cleaned, sink, progress)
        elif connection.vendor == "postgresql":
            rows = _copy(dataset, cleaned, fmt, sink, progress)
        else:
            rows = _write_python(dataset, cleaned, fmt, sink, progress)
        sink.flush()
    return WriteResult(row_count=rows, sha256=sink.sha.hexdigest(), size_bytes=sink.size)


class _HashingSink:
    """Writes and hashes in blocks of 1 MiB or more; small writes are gathered into one."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.buffer = bytearray()
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data) -> None:
        if not self.buffer and len(data) >= _BUFFER_BYTES:
            self._out(data)
            return
        self.buffer += data
        if len(self.buffer) >= _BUFFER_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self._out(self.buffer)
            self.buffer = bytearray()

    def _out(self, block) -> None:
        self.raw.write(block)
        self.sha.update(block)
        self.size += len(block)


# --- PostgreSQL: COPY -------------------------------------------------------------------------


def copy_sql(dataset: Dataset, cleaned: dict, fmt: str) -> tuple[str, tuple]:
    """The COPY statement for a dataset: Django compiles the filtered query, we shape the cells."""
    queryset = dataset.rows(cleaned)
    inner, params = queryset.query.sql_with_params()
    refs = [f"q.c{i}" for i in range(len(dataset.columns))]
    if fmt == "csv":
        select = ", ".join(
            f"{_csv_cell(col, ref)} AS {connection.ops.quote_name(col.name)}"
            for col, ref in zip(dataset.columns, refs, strict=True)
        )
        options = "FORMAT csv, HEADER"
    else:
        sources = [_Source.of(queryset.query, f"c{i}") for i in range(len(refs))]
        select = _json_line(dataset.columns, refs, sources)
        # Binary: each line goes out exactly as built, with no quoting pass over its bytes
        # (copy_out.copy_to reads the lines out of the binary framing).
        options = "FORMAT binary"
    # Only column names and fixed SQL are interpolated; every filter value is a bound parameter.
    return f"COPY (SELECT {select} FROM ({inner}) q) TO STDOUT WITH ({options})", params  # noqa: S608 # nosec


def _csv_cell(col: Column, ref: str) -> str:
    """Neutralise the columns that can hold free text; write the others as they are.

    Ids, numbers, dates and codes cannot begin with a formula character, except a negative
    number: a spreadsheet reads -5 as the number it is, so numbers stay numbers.
    """
    if col.kind == "text":
        return _neutralised(ref)
    if col.kind == "json":
        return _neutralised(f"{ref}::text")
    if col.kind == "bool":
        return f"{ref}::text"
    return ref


def _neutralised(ref: str) -> str:
    # Every formula character sorts below "A" (65): one integer comparison settles most cells.
    return (
        f"CASE WHEN ascii({ref}) < 65 AND ascii({ref}) IN ({_FORMULA_CODES}) "
        f"THEN '''' || {ref} ELSE {ref} END"
    )


@dataclass(frozen=True)
class _Source:
    """What Django knows of a column's SQL: can it be NULL, is it text in the database."""

    nullable: bool
    text: bool

    @classmethod
    def of(cls, query, alias: str) -> "_Source":
        expression = query.annotations.get(alias)
        if not isinstance(expression, Col):
            return cls(nullable=True, text=False)
        join = query.alias_map.get(expression.alias)
        db_type = expression.target.db_type(connection) or ""
        return cls(
            nullable=expression.target.null or getattr(join, "join_type", None) == LOUTER,
            text=db_type.startswith(_TEXT_TYPES),
        )


def _json_line(columns: tuple[Column, ...], refs: list[str], sources: list[_Source]) -> str:
    """One JSON object per row and its line break, built by PostgreSQL.

    The keys, commas and the quotes around plain strings are folded into one literal between two
    values; NULL is handled only where the column can be NULL; the pieces are concatenated as a
    balanced tree, since a flat chain copies the growing line once per piece.
    """
    pieces: list[str] = []
    literal = "{"
    for i, (col, ref, source) in enumerate(zip(columns, refs, sources, strict=True)):
        literal += ("," if i else "") + json.dumps(col.name) + ":"
        if _plain_string(col, source) and not source.nullable:
            pieces += [_sql_literal(literal + '"'), f"{ref}::text"]
            literal = '"'
            continue
        value = _json_value(col, ref, source)
        if source.nullable:
            value = f"COALESCE({value}, 'null')"
        pieces += [_sql_literal(literal), value]
        literal = ""
    pieces.append(_sql_literal(literal + "}\n"))  # a line break inside a literal is plain SQL
    return _balanced_concat(pieces)


def _plain_string(col: Column, source: _Source) -> bool:
    """Written between quotes as it is: ISO dates, and codes stored as text (the models validate
    them to hold no quote, backslash or control character)."""
    return col.kind == "date" or (col.kind == "code" and source.text)


def _json_value(col: Column, ref: str, source: _Source) -> str:
    """The JSON text of one value; NULL when the value is NULL."""
    if _plain_string(col, source):
        return f"""'"' || {ref}::text || '"'"""
    if col.kind in {"text", "datetime", "code"}:
        return f"to_json({ref})::text"  # escapes; a code of another type (inet) as COPY writes it
    return f"{ref}::text"  # number, bool and json: their text is already JSON


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _balanced_concat(pieces: list[str]) -> str:
    if len(pieces) == 1:
        return pieces[0]
    middle = len(pieces) // 2
    return f"({_balanced_concat(pieces[:middle])} || {_balanced_concat(pieces[middle:])})"


def _copy(
    dataset: Dataset, cleaned: dict, fmt: str, sink: _HashingSink, progress: ProgressCallback
) -> int:
    sql, params = copy_sql(dataset, cleaned, fmt)
    header = 1 if fmt == "csv" else 0
    return copy_out.copy_to(
        sql,
        params,
        sink.write,
        lambda n: progress(max(0, n - header)),
        binary_lines=fmt == "jsonl",
    )


# --- Python writers: SQLite and XLSX ----------------------------------------------------------


def _python_rows(dataset: Dataset, cleaned: dict) -> Iterator[tuple[Column, ...]]:
    keys = [f"c{i}" for i in range(len(dataset.columns))]
    for row in dataset.rows(cleaned).iterator(chunk_size=ITERATOR_CHUNK):
        yield tuple(row[k] for k in keys)


def _write_python(
    dataset: Dataset, cleaned: dict, fmt: str, sink: _HashingSink, progress: ProgressCallback
) -> int:
    text = io.TextIOWrapper(_SinkAdapter(sink), encoding="utf-8", newline="", write_through=True)
    columns = dataset.columns
    count = 0
    if fmt == "csv":
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        for values in _python_rows(dataset, cleaned):
            writer.writerow([_csv_value(c, v) for c, v in zip(columns, values, strict=True)])
            count += 1
            _maybe_progress(progress, count)
    else:
        names = [c.name for c in columns]
        for values in _python_rows(dataset, cleaned):
            line = json.dumps(
                dict(zip(names, values, strict=True)),
                ensure_ascii=False,
                separators=(",", ":"),
                default=_json_default,
            )
            text.write(line + "\n")
            count += 1
            _maybe_progress(progress, count)
    text.flush()
    text.detach()
    return count


def _write_xlsx(
    dataset: Dataset, cleaned: dict, sink: _HashingSink, progress: ProgressCallback
) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.name[:31])
    columns = dataset.columns
    sheet.append([c.name for c in columns])
    count = 0
    for values in _python_rows(dataset, cleaned):
        sheet.append([_xlsx_value(c, v) for c, v in zip(columns, values, strict=True)])
        count += 1
        _maybe_progress(progress, count)
    workbook.save(_SinkAdapter(sink))  # write-only mode streamed rows to a temp file meanwhile
    return count


class _SinkAdapter(io.RawIOBase):
    def __init__(self, sink: _HashingSink):
        self.sink = sink

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sink.write(data)
        return len(data)

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self.sink.size + len(self.sink.buffer)


def _maybe_progress(progress: ProgressCallback, count: int) -> None:
    if count % ITERATOR_CHUNK == 0:
        progress(count)


def _csv_value(col: Column, value: Any) -> Any:
    if value is None:
        return ""
    if col.kind == "json":
        return neutralise(json.dumps(value, ensure_ascii=False))
    if col.kind == "bool":
        return "true" if value else "false"
    if col.kind == "datetime":
        return value.astimezone(UTC).isoformat(sep=" ")
    if isinstance(value, str):
        return neutralise(value)
    return value


def _xlsx_value(col: Column, value: Any) -> Any:
    if value is None:
        return None
    if col.kind == "json":
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("", neutralise(value))
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


# --- progress on a side connection ------------------------------------------------------------


class SideConnectionProgress:
    """Publishes rows written at most once a second, on its own autocommit connection."""

    def __init__(self, publish: Callable[[Any, int], None], interval: float = 1.0):
        self.publish = publish
        self.interval = interval
        self.last = 0.0
        self.side = None

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        if self.side is None:
            self.side = connections.create_connection("default")
        self.publish(self.side, rows)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
