"""Writing a dataset to a file with constant memory, whatever its size.

On PostgreSQL, CSV and JSON Lines are produced by the server with `COPY (SELECT ...) TO STDOUT`
streamed through psycopg (the DRF / ORM paths cost 7-37x more); formula cells are neutralised in
the SELECT itself. XLSX, and every format on SQLite (`make run`), iterate the query in chunks and
write row by row. Progress is published on a side connection: the main one is busy streaming.
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

from apps.audit.datasets.registry import Column, Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
# ascii() of the first character: = + - @ TAB CR. PostgreSQL text can never hold NUL.
_FORMULA_CODES = "61, 43, 45, 64, 9, 13"
_BUFFER_BYTES = 1 << 20
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ITERATOR_CHUNK = 2000

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
    """Buffers small writes into 1 MiB blocks, hashing and counting lines once per block."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.buffer = bytearray()
        self.sha = hashlib.sha256()
        self.size = 0
        self.lines = 0

    def write(self, data) -> None:
        self.buffer += data
        if len(self.buffer) >= _BUFFER_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        self.raw.write(self.buffer)
        self.sha.update(self.buffer)
        self.size += len(self.buffer)
        self.lines += self.buffer.count(b"\n")
        self.buffer = bytearray()


# --- PostgreSQL: COPY -------------------------------------------------------------------------


def copy_sql(dataset: Dataset, cleaned: dict, fmt: str) -> tuple[str, tuple]:
    """The COPY statement for a dataset: Django compiles the filtered query, we shape the cells."""
    inner, params = dataset.rows(cleaned).query.sql_with_params()
    if fmt == "csv":
        select = ", ".join(
            f"{_csv_cell(col, f'q.c{i}')} AS {connection.ops.quote_name(col.name)}"
            for i, col in enumerate(dataset.columns)
        )
        options = "FORMAT csv, HEADER"
    else:
        parts = []
        for i, col in enumerate(dataset.columns):
            key = json.dumps(col.name).replace("'", "''")
            parts.append(f"'{',' if i else '{'}{key}:' || {_json_cell(col, f'q.c{i}')}")
        select = " || ".join(parts) + " || '}'"
        # CSV with a quote and delimiter that JSON text never contains raw: the line goes out
        # exactly as built (text format would double every backslash of the JSON escapes).
        options = "FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02'"
    # Only column names and fixed SQL are interpolated; every filter value is a bound parameter.
    return f"COPY (SELECT {select} FROM ({inner}) q) TO STDOUT WITH ({options})", params  # noqa: S608 # nosec


def _csv_cell(col: Column, ref: str) -> str:
    if col.kind == "text":
        return _neutralised(ref)
    if col.kind == "json":
        return _neutralised(f"{ref}::text")
    if col.kind == "bool":
        return f"{ref}::text"
    return ref


def _neutralised(ref: str) -> str:
    return f"CASE WHEN ascii({ref}) IN ({_FORMULA_CODES}) THEN '''' || {ref} ELSE {ref} END"


def _json_cell(col: Column, ref: str) -> str:
    if col.kind in {"text", "datetime"}:
        return f"COALESCE(to_json({ref})::text, 'null')"
    if col.kind in {"code", "date"}:
        return f"""COALESCE('"' || {ref} || '"', 'null')"""
    return f"COALESCE({ref}::text, 'null')"


def _copy(
    dataset: Dataset, cleaned: dict, fmt: str, sink: _HashingSink, progress: ProgressCallback
) -> int:
    sql, params = copy_sql(dataset, cleaned, fmt)
    header = 1 if fmt == "csv" else 0
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with cursor.copy(sql, params) as copy:
            reported = sink.lines
            for block in copy:
                sink.write(block)
                if sink.lines != reported:
                    reported = sink.lines
                    progress(max(0, reported - header))
        return cursor.rowcount


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
