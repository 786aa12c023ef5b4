"""Fixtures of the backup tests: a second, empty table, items of every type, file helpers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from portfolio_api.backup import service
from portfolio_api.db import schema
from portfolio_api.db.table import Table

RESTORE_TABLE = "portfolio-restore"

EVERY_TYPE: dict[str, Any] = {
    "PK": {"S": "BACKUP#types"},
    "SK": {"S": "ITEM"},
    "GSI1PK": {"S": "LIST#backup"},
    "GSI1SK": {"S": "PUB#2026-01-01"},
    "text": {"S": 'h\u00e9llo \u2713 \U0001f600 "quoted" \\ back\nslash\u0000'},
    "empty": {"S": ""},
    "integer": {"N": "42"},
    "negative": {"N": "-7"},
    "precise": {"N": "3.1415926535897932384626433832795028841"},
    "huge": {"N": "9.9999999999999999999999999999999999999E+125"},
    "tiny": {"N": "1E-130"},
    "binary": {"B": bytes(range(256))},
    "emptyBinary": {"B": b""},
    "yes": {"BOOL": True},
    "no": {"BOOL": False},
    "nothing": {"NULL": True},
    "map": {
        "M": {
            "list": {"L": [{"N": "1"}, {"S": "two"}, {"B": b"\x00\xff"}, {"M": {}}]},
            "blob": {"B": b"nested"},
            "blobs": {"BS": [b"\x01", b"\x02\x03"]},
        }
    },
    "emptyList": {"L": []},
    "strings": {"SS": ["banana", "apple", "\u00e9"]},
    "numbers": {"NS": ["1", "2.5", "-3", "1E+10"]},
    "binaries": {"BS": [b"\x00", b"\xff\xfe", b"plain"]},
    "expiresAt": {"N": "1700000000"},
}


def put_raw(table: Table, *items: dict[str, Any]) -> None:
    """Put items given in DynamoDB's typed JSON (as botocore takes them)."""
    for batch in range(0, len(items), 25):
        service.batch_write(
            client=table.client, table=table.name, items=list(items[batch : batch + 25])
        )


def raw_items(table: Table) -> dict[tuple[str, str], dict[str, Any]]:
    """Every item of the table as DynamoDB returns it, by key."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    request: dict[str, Any] = {"TableName": table.name, "ConsistentRead": True}
    while True:
        page = table.client.scan(**request)
        for item in page["Items"]:
            found[(item["PK"]["S"], item["SK"]["S"])] = item
        if "LastEvaluatedKey" not in page:
            return found
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def numbered(count: int, *, prefix: str = "ITEM") -> list[dict[str, Any]]:
    """`count` small items with distinct keys."""
    return [
        {"PK": {"S": f"{prefix}#{n // 50}"}, "SK": {"S": f"{n:06d}"}, "n": {"N": str(n)}}
        for n in range(count)
    ]


def export_text(table: Table, **options: Any) -> str:
    """The backup file of `table`, as text."""
    out = io.StringIO()
    service.export_table(client=table.client, table=table.name, out=out, **options)
    return out.getvalue()


def export_file(table: Table, path: Path, **options: Any) -> Path:
    """Write the backup of `table` to `path`."""
    path.write_text(export_text(table, **options), encoding="utf-8")
    return path


@pytest.fixture
def restore_table(table: Table) -> Table:
    """A second table with the same definition, empty."""
    schema.create_table(table.client, RESTORE_TABLE)
    return Table(client=table.client, name=RESTORE_TABLE, cursor_secret=b"unused")
