"""A file that is not a complete, valid backup writes nothing and names the bad line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio_api.backup import jsonl, service
from portfolio_api.backup.jsonl import BackupFormatError
from portfolio_api.db.table import Table
from tests.backup.conftest import EVERY_TYPE, export_text, numbered, put_raw, raw_items

ITEM = '{"Item":{"PK":{"S":"P"},"SK":{"S":"S"}}}'


def _lines(table: Table) -> list[str]:
    return export_text(table).splitlines()


def _import(table: Table, path: Path) -> None:
    service.import_file(client=table.client, table=table.name, path=path)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "Expecting property name"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"Q":"1"}}}', "unknown DynamoDB type 'Q'"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"N":"12abc"}}}', "N must be a number"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"N":12}}}', "N must be a number"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"N":"1E+200"}}}', "number range"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"B":"not base64!"}}}', "base64"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"SS":[]}}}', "non-empty list"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"SS":["a","a"]}}}', "duplicate members"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"NULL":false}}}', "NULL cannot hold"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"x":{"S":"a","N":"1"}}}', "exactly one"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"m":{"M":{"y":{"BOOL":"no"}}}}}', "m.y: BOOL"),
        ('{"Item":{"SK":{"S":"S"}}}', "key attribute PK is missing"),
        ('{"Item":{"PK":{"N":"1"},"SK":{"S":"S"}}}', "PK must be a non-empty S"),
        ('{"Item":{"PK":{"S":"P"},"SK":{"S":"S"},"GSI1PK":{"S":""}}}', "GSI1PK must be"),
        ('{"PK":{"S":"P"},"SK":{"S":"S"}}', "expected an item line"),
        ("", "Expecting value"),
        ('{"trailer":{"itemCount":"3"}}', "itemCount, a whole number"),
    ],
)
def test_a_bad_item_line_is_refused_with_its_number(
    table: Table, tmp_path: Path, bad_line: str, message: str
) -> None:
    header, *_ = _lines(table)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([header, ITEM, bad_line, jsonl.trailer_line(item_count=2)]))

    with pytest.raises(BackupFormatError, match=message) as raised:
        _import(table, path)

    assert raised.value.line == 3
    assert str(raised.value).startswith("line 3: ")


def test_a_malformed_file_writes_nothing_even_after_many_good_lines(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, EVERY_TYPE, *numbered(300))
    lines = _lines(table)
    lines.insert(250, '{"Item":{"PK":{"S":"P"}}}')
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(BackupFormatError) as raised:
        service.import_file(client=table.client, table=restore_table.name, path=path)

    assert raised.value.line == 251
    assert raw_items(restore_table) == {}


def test_a_file_cut_short_has_no_trailer_and_writes_nothing(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(40))
    lines = _lines(table)
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(lines[:-1]) + "\n")

    with pytest.raises(BackupFormatError, match="trailer is missing") as raised:
        service.import_file(client=table.client, table=restore_table.name, path=path)

    assert raised.value.line == 42
    assert raw_items(restore_table) == {}


def test_a_trailer_with_the_wrong_count_is_refused(table: Table, tmp_path: Path) -> None:
    put_raw(table, *numbered(3))
    lines = _lines(table)
    lines[-1] = jsonl.trailer_line(item_count=4)
    path = tmp_path / "count.jsonl"
    path.write_text("\n".join(lines))

    with pytest.raises(BackupFormatError, match="says 4 items, the file has 3") as raised:
        _import(table, path)

    assert raised.value.line == 5


def test_nothing_may_follow_the_trailer(table: Table, tmp_path: Path) -> None:
    path = tmp_path / "after.jsonl"
    path.write_text("\n".join([*_lines(table), ITEM]))

    with pytest.raises(BackupFormatError, match="follow the trailer") as raised:
        _import(table, path)

    assert raised.value.line == 3


def test_two_items_with_one_key_are_refused(table: Table, tmp_path: Path) -> None:
    header, trailer = _lines(table)
    path = tmp_path / "twice.jsonl"
    path.write_text("\n".join([header, ITEM, ITEM, trailer]))

    with pytest.raises(BackupFormatError, match="second item with the key") as raised:
        _import(table, path)

    assert raised.value.line == 3


@pytest.mark.parametrize(
    ("first_line", "message"),
    [
        ("", "empty line or file"),
        ('{"format":"something-else","version":1}', "not a backup file"),
        ('{"format":"portfolio-api-backup","version":2,"table":"t","exportedAt":"x"}', "version 2"),
        ('{"format":"portfolio-api-backup","version":1}', "table and exportedAt"),
    ],
)
def test_the_first_line_must_be_a_known_header(
    table: Table, tmp_path: Path, first_line: str, message: str
) -> None:
    path = tmp_path / "header.jsonl"
    path.write_text(first_line)

    with pytest.raises(BackupFormatError, match=message) as raised:
        _import(table, path)

    assert raised.value.line == 1


def test_a_line_that_is_not_utf8_is_refused(table: Table, tmp_path: Path) -> None:
    header, trailer = _lines(table)
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(f"{header}\n".encode() + b'{"Item":{"PK":{"S":"\xe9"}}}\n' + trailer.encode())

    with pytest.raises(BackupFormatError, match="not UTF-8") as raised:
        _import(table, path)

    assert raised.value.line == 2


def test_the_first_line_names_the_file_format() -> None:
    header = json.loads(jsonl.header_line(table="t"))

    assert (header["format"], header["version"], header["table"]) == (
        "portfolio-api-backup",
        1,
        "t",
    )
