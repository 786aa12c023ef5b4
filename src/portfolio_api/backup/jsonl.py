"""The backup file: JSON Lines, one object per line, items in DynamoDB's typed JSON.

    {"format": "portfolio-api-backup", "version": 1, "table": "...", "exportedAt": "..."}
    {"Item": {"PK": {"S": "VISITORS"}, "SK": {"S": "TOTAL"}, "count": {"N": "42"}}}
    ...
    {"trailer": {"itemCount": 2, "finishedAt": "..."}}

Item lines are those of DynamoDB's own export to S3 (`DYNAMODB_JSON`): numbers are their exact
strings, binaries (`B`, `BS`) base64. The trailer is written only once the last item is, so a
file cut short by a failed export has none and is refused as a whole.

`read` checks every line strictly and turns items into what botocore sends (binaries as
bytes), so that nothing reaches DynamoDB that it would refuse halfway through an import.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from portfolio_api.db import schema

FORMAT = "portfolio-api-backup"
VERSION = 1

WireItem = dict[str, Any]
"""An item as botocore's low-level client takes and returns it (binaries as bytes)."""

KEY_ATTRIBUTES = tuple(key["AttributeName"] for key in schema.KEY_SCHEMA)
INDEX_KEY_ATTRIBUTES = tuple(
    key["AttributeName"] for index in schema.GLOBAL_SECONDARY_INDEXES for key in index["KeySchema"]
)
_SCALARS = frozenset({"S", "N", "B", "BOOL", "NULL"})
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class BackupFormatError(Exception):
    """A line of the backup file that cannot be imported; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Header:
    """The first line: where and when the backup was taken."""

    table: str
    exported_at: str


def now_iso() -> str:
    """The current UTC time as the file writes it."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _dump(document: dict[str, Any]) -> str:
    # ASCII escapes keep the file identical whatever the terminal's or the pipe's encoding.
    return json.dumps(document, separators=(",", ":")) + "\n"


def header_line(*, table: str) -> str:
    """The header of a backup of `table` taken now."""
    return _dump({"format": FORMAT, "version": VERSION, "table": table, "exportedAt": now_iso()})


def item_line(item: WireItem) -> str:
    """One item, as Scan returned it, as a line of the file."""
    return _dump({"Item": {name: _to_text(value) for name, value in item.items()}})


def trailer_line(*, item_count: int) -> str:
    """The last line: how many item lines precede it."""
    return _dump({"trailer": {"itemCount": item_count, "finishedAt": now_iso()}})


def _to_text(value: dict[str, Any]) -> dict[str, Any]:
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64encode(inner).decode("ascii")}
    if kind == "BS":
        return {"BS": [base64.b64encode(member).decode("ascii") for member in inner]}
    if kind == "M":
        return {"M": {name: _to_text(member) for name, member in inner.items()}}
    if kind == "L":
        return {"L": [_to_text(member) for member in inner]}
    return value


def _number(text: object, where: str) -> str:
    if not isinstance(text, str) or not _NUMBER.fullmatch(text):
        raise ValueError(f"{where}: N must be a number written as a string, got {text!r}")
    try:
        number = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"{where}: {text!r} is not a number") from error
    if number:
        digits = number.normalize().as_tuple().digits
        if len(digits) > 38 or not -130 <= number.adjusted() <= 125:
            raise ValueError(f"{where}: {text!r} is outside DynamoDB's number range")
    return text


def _binary(text: object, where: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError(f"{where}: B must be a base64 string, got {type(text).__name__}")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(f"{where}: not valid base64 ({error})") from error


def _set(members: object, kind: str, where: str) -> list[Any]:
    if not isinstance(members, list) or not members:
        raise ValueError(f"{where}: {kind} must be a non-empty list")
    if kind == "SS":
        if not all(isinstance(member, str) for member in members):
            raise ValueError(f"{where}: SS members must be strings")
        values: list[Any] = list(members)
    elif kind == "NS":
        values = [_number(member, where) for member in members]
    else:
        values = [_binary(member, where) for member in members]
    if len(set(values)) != len(values):
        raise ValueError(f"{where}: {kind} has duplicate members")
    return values


def _to_wire(value: object, where: str) -> dict[str, Any]:
    """One typed-JSON attribute value, checked, as botocore sends it."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError(f"{where}: an attribute value is an object with exactly one type key")
    ((kind, inner),) = value.items()
    if kind == "S" and isinstance(inner, str):
        return value
    if kind == "N":
        return {"N": _number(inner, where)}
    if kind == "B":
        return {"B": _binary(inner, where)}
    if kind == "BOOL" and isinstance(inner, bool):
        return value
    if kind == "NULL" and inner is True:
        return value
    if kind == "M" and isinstance(inner, dict):
        return {"M": {name: _to_wire(member, f"{where}.{name}") for name, member in inner.items()}}
    if kind == "L" and isinstance(inner, list):
        return {"L": [_to_wire(member, f"{where}[{i}]") for i, member in enumerate(inner)]}
    if kind in ("SS", "NS", "BS"):
        return {kind: _set(inner, kind, where)}
    if kind in _SCALARS or kind in ("M", "L"):
        raise ValueError(f"{where}: {kind} cannot hold {type(inner).__name__} {inner!r:.40}")
    raise ValueError(f"{where}: unknown DynamoDB type {kind!r}")


def _item(document: object) -> WireItem:
    if not isinstance(document, dict) or set(document) != {"Item"}:
        raise ValueError('expected an item line {"Item": {...}} or the trailer')
    return wire_item(document["Item"])


def wire_item(item: object) -> WireItem:
    """An item in typed JSON (binaries base64), checked as DynamoDB would, as botocore sends
    it; ValueError names what DynamoDB would refuse. The local snapshot's items are checked
    with it too."""
    if not isinstance(item, dict):
        raise ValueError("Item must be an object of attributes")
    wire = {name: _to_wire(value, name) for name, value in item.items()}
    for name in KEY_ATTRIBUTES:
        if name not in wire:
            raise ValueError(f"the key attribute {name} is missing")
    for name in KEY_ATTRIBUTES + INDEX_KEY_ATTRIBUTES:
        if name in wire and (set(wire[name]) != {"S"} or not wire[name]["S"]):
            raise ValueError(f"the key attribute {name} must be a non-empty S")
    return wire


def _header(document: object) -> Header:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"not a backup file: the first line must be the {FORMAT} header")
    if document.get("version") != VERSION:
        raise ValueError(f"unsupported version {document.get('version')!r} (this reads {VERSION})")
    table, exported_at = document.get("table"), document.get("exportedAt")
    if not isinstance(table, str) or not isinstance(exported_at, str):
        raise ValueError("the header needs the strings table and exportedAt")
    return Header(table=table, exported_at=exported_at)


def _trailer_count(document: object) -> int | None:
    if not isinstance(document, dict) or set(document) != {"trailer"}:
        return None
    trailer = document["trailer"]
    count = trailer.get("itemCount") if isinstance(trailer, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError("the trailer needs itemCount, a whole number")
    return count


def key_of(item: WireItem) -> tuple[str, ...]:
    """The item's primary key values, in key-schema order."""
    return tuple(item[name]["S"] for name in KEY_ATTRIBUTES)


def read(path: Path) -> tuple[Header, Iterator[WireItem]]:
    """The header and, lazily, every item; raises BackupFormatError at the first bad line.

    The items are only known to be complete once the iterator is exhausted (the trailer is
    checked then), so callers that must not write a partial file check it first: `check`.
    """
    lines = _lines(path)
    number, text = next(lines, (1, ""))
    try:
        if not text.strip():
            raise ValueError(f"expected the {FORMAT} header, found an empty line or file")
        header = _header(json.loads(text))
    except ValueError as error:
        raise BackupFormatError(number, str(error)) from None
    return header, _items(lines)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open("rb") as source:
        for number, raw in enumerate(source, start=1):
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise BackupFormatError(number, f"not UTF-8 ({error.reason})") from None


def _items(lines: Iterator[tuple[int, str]]) -> Iterator[WireItem]:
    seen: set[tuple[str, ...]] = set()
    number = 1
    for number, text in lines:
        try:
            document = json.loads(text)
            expected = _trailer_count(document)
            if expected is not None:
                if expected != len(seen):
                    raise ValueError(f"the trailer says {expected} items, the file has {len(seen)}")
                trailing = next(lines, None)
                if trailing is not None:
                    number = trailing[0]
                    raise ValueError("nothing may follow the trailer")
                return
            item = _item(document)
            key = key_of(item)
            if key in seen:
                raise ValueError(
                    f"a second item with the key {dict(zip(KEY_ATTRIBUTES, key, strict=True))}"
                )
        except ValueError as error:  # json.JSONDecodeError is a ValueError too
            raise BackupFormatError(number, str(error)) from None
        seen.add(key)
        yield item
    raise BackupFormatError(number + 1, "the trailer is missing: the file is incomplete")


def check(path: Path) -> tuple[Header, int]:
    """Read the whole file without writing anything: its header and number of items."""
    header, items = read(path)
    return header, sum(1 for _ in items)
