"""Reading COPY from libpq: whole rows in blocks, the server's count, and a clean connection after
any failure (the export's failure is recorded on the same connection)."""

import pytest
from django.db import DataError, ProgrammingError, connection

from apps.audit import copy_out

SERIES = "COPY (SELECT g FROM generate_series(1, %s) g) TO STDOUT"
LINES = "COPY (SELECT g || E'\\n' FROM generate_series(1, %s) g) TO STDOUT (FORMAT binary)"


def _copy(sql, params=(), **kwargs):
    blocks, progress = [], []
    rows = copy_out.copy_to(
        sql, params, lambda block: blocks.append(bytes(block)), progress.append, **kwargs
    )
    return rows, blocks, progress


def _connection_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def test_rows_arrive_whole_in_blocks_with_the_servers_count(db, monkeypatch):
    monkeypatch.setattr(copy_out, "BLOCK_BYTES", 1000)
    rows, blocks, progress = _copy(SERIES, [5000])
    assert rows == 5000
    assert b"".join(blocks) == b"".join(b"%d\n" % n for n in range(1, 5001))
    assert len(blocks) > 10
    assert all(block.endswith(b"\n") for block in blocks)
    assert progress == sorted(progress)
    assert progress[-1] == 5000


def test_binary_lines_are_written_exactly_as_the_select_built_them(db, monkeypatch):
    monkeypatch.setattr(copy_out, "BLOCK_BYTES", 1000)
    rows, blocks, _progress = _copy(LINES, [3000], binary_lines=True)
    assert rows == 3000
    assert b"".join(blocks) == b"".join(b"%d\n" % n for n in range(1, 3001))


def test_binary_lines_of_an_empty_result_write_nothing(db):
    assert _copy(LINES, [0], binary_lines=True)[:2] == (0, [b""])


def test_a_null_line_is_refused_rather_than_written_as_nothing(db):
    with pytest.raises(DataError):
        _copy("COPY (SELECT NULL::text) TO STDOUT (FORMAT binary)", binary_lines=True)


@pytest.mark.django_db(transaction=True)
def test_a_statement_the_server_refuses_leaves_the_connection_usable():
    with pytest.raises(ProgrammingError):
        _copy("COPY (SELECT no_such_column) TO STDOUT")
    assert _connection_answers()


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_middle_of_the_rows_is_raised_and_the_connection_recovers():
    with pytest.raises(DataError, match="division by zero"):
        _copy("COPY (SELECT 1 / (g - 3000) FROM generate_series(1, 5000) g) TO STDOUT")
    assert _connection_answers()


@pytest.mark.django_db(transaction=True)
def test_a_failing_file_stops_the_copy_and_the_connection_recovers(monkeypatch):
    monkeypatch.setattr(copy_out, "BLOCK_BYTES", 1000)

    def disk_full(block):
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        copy_out.copy_to(SERIES, [5_000_000], disk_full, lambda rows: None)
    assert _connection_answers()
