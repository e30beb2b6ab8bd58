"""`COPY ... TO STDOUT` read straight from libpq, in blocks, with next to no Python per row.

PostgreSQL sends one CopyData message per row. psycopg's `Copy` iterator hands each one to
Python through a generator and its wait loop: about 0.3 s of CPU per million rows, half as much
again as `psql` spends on the whole copy. Here the messages are taken from libpq in a tight loop
and copied at once into 1 MiB blocks (held messages pin libpq's buffers, which costs more than
the copy). Progress counts messages; the row count returned is the server's. Only psycopg's
documented low-level interface is used: `Connection.pgconn` and `psycopg.pq`.

Lines built by the SELECT itself (JSON Lines) are read from a binary COPY of that one text
column: the server sends each value as it is, without the scan for characters to quote that
CSV and text formats make over every byte (about 15% of the server's work on JSON Lines).
"""

import selectors
import struct
from collections.abc import Callable

import psycopg
from django.db import connection
from psycopg import pq

BLOCK_BYTES = 1 << 20
BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_ROW_PREFIX = 6  # binary format, before each value: int16 field count, int32 length
_TRAILER = b"\xff\xff"

Write = Callable[[bytearray], None]
OnRows = Callable[[int], None]


def copy_to(sql: str, params, write: Write, on_rows: OnRows, *, binary_lines: bool = False) -> int:
    """Run a COPY ... TO STDOUT on Django's connection and return the server's row count.

    `write` gets the output in blocks; `on_rows` the messages read so far, once per block. With
    `binary_lines`, the COPY is `WITH (FORMAT binary)` of one text column that holds whole
    lines (line breaks included), and only those lines are written.
    """
    query = connection.ops.compose_sql(sql, params)  # psycopg merges the values client-side
    with connection.wrap_database_errors:
        connection.ensure_connection()
        connection.validate_no_broken_transaction()
        raw = connection.connection
        wire = _Wire(raw.pgconn)
        try:
            wire.start(query.encode())
            messages = (
                wire.read_lines(write, on_rows) if binary_lines else wire.read(write, on_rows)
            )
            return wire.end(messages)
        except BaseException:
            wire.abort(raw)
            raise
        finally:
            wire.close()


class _Wire:
    def __init__(self, pgconn: pq.abc.PGconn):
        self.pgconn = pgconn
        self.selector = selectors.DefaultSelector()  # poll/epoll: no limit on the socket number
        self.selector.register(pgconn.socket, selectors.EVENT_READ)
        self.copying = False

    def start(self, query: bytes) -> None:
        self.pgconn.send_query(query)
        while self.pgconn.flush():  # the connection is non-blocking: send it all
            self.wait()
            self.pgconn.consume_input()
        result = self.result()
        if result is None or result.status != pq.ExecStatus.COPY_OUT:
            self.finish()
            raise _error(result)
        self.copying = True

    def read(self, write: Write, on_rows: OnRows) -> int:
        get = self.pgconn.get_copy_data
        messages = 0
        block = bytearray()
        while True:
            nbytes, data = get(1)
            if nbytes > 0:
                block += data
                messages += 1
                if len(block) >= BLOCK_BYTES:
                    write(block)
                    on_rows(messages)
                    block = bytearray()
            elif nbytes == 0:  # the rest of the row is still on its way
                self.wait_for_data()
            else:  # the end of the copy
                break
        write(block)
        on_rows(messages)
        return messages

    def read_lines(self, write: Write, on_rows: OnRows) -> int:
        get = self.pgconn.get_copy_data
        messages = 0
        block = bytearray()
        header = None  # the first message starts with the file header
        while True:
            nbytes, data = get(1)
            if nbytes > 0:
                if header is None:
                    header = _binary_header_length(data)
                    data, nbytes = data[header:], nbytes - header
                if nbytes > _ROW_PREFIX:
                    block += data[_ROW_PREFIX:]
                    messages += 1
                    if len(block) >= BLOCK_BYTES:
                        write(block)
                        on_rows(messages)
                        block = bytearray()
                elif bytes(data) != _TRAILER:
                    raise psycopg.DataError("A line of the export is NULL or empty.")
            elif nbytes == 0:
                self.wait_for_data()
            else:
                break
        write(block)
        on_rows(messages)
        return messages

    def end(self, messages: int) -> int:
        self.copying = False
        result = self.result()
        self.finish()
        if result is None or result.status != pq.ExecStatus.COMMAND_OK:
            raise _error(result)
        return result.command_tuples if result.command_tuples is not None else messages

    def abort(self, raw: psycopg.Connection) -> None:
        """Stop the server and read what is left, so the connection can serve the next query."""
        try:
            if self.copying:
                raw.cancel_safe()
                while (nbytes := self.pgconn.get_copy_data(1)[0]) >= 0:
                    if nbytes == 0:
                        self.wait_for_data()
                self.copying = False
            self.finish()
        except psycopg.Error:  # the connection itself broke: Django opens a new one next time
            raw.close()

    def result(self) -> pq.abc.PGresult | None:
        while self.pgconn.is_busy():
            self.wait_for_data()
        return self.pgconn.get_result()

    def finish(self) -> None:
        while self.result() is not None:
            pass

    def wait(self) -> None:
        self.selector.select()

    def wait_for_data(self) -> None:
        self.selector.select()
        self.pgconn.consume_input()

    def close(self) -> None:
        self.selector.close()


def _binary_header_length(data) -> int:
    """The binary COPY header: signature, flags, then an extension area of a stated length."""
    if bytes(data[: len(BINARY_SIGNATURE)]) != BINARY_SIGNATURE:
        raise psycopg.DataError("Not a binary COPY: the signature is missing.")
    (extension,) = struct.unpack_from("!i", data, len(BINARY_SIGNATURE) + 4)
    return len(BINARY_SIGNATURE) + 8 + extension


def _error(result: pq.abc.PGresult | None) -> psycopg.Error:
    if result is None:
        return psycopg.OperationalError("The database ended the COPY without a result.")
    message = result.error_message.decode(errors="replace").strip()
    sqlstate = result.error_field(pq.DiagnosticField.SQLSTATE)
    try:
        error_class = psycopg.errors.lookup(sqlstate.decode()) if sqlstate else psycopg.Error
    except KeyError:
        error_class = psycopg.DatabaseError
    return error_class(message or f"COPY ended with {result.status.name}")
