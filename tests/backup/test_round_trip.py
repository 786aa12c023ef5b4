"""Export then import: every item comes back exactly, and importing again changes nothing."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from portfolio_api.backup import jsonl, service
from portfolio_api.blog.service import BLOG
from portfolio_api.clock import SystemClock
from portfolio_api.content import repository
from portfolio_api.content import service as content
from portfolio_api.content.seed import seed
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.backup.conftest import EVERY_TYPE, export_file, export_text, numbered, put_raw, raw_items
from tests.content.conftest import REALISTIC_POST, post_fields


def _typed_json(items: dict[Any, dict[str, Any]]) -> dict[Any, str]:
    """Each item as the file writes it: binaries base64, numbers their exact strings."""
    return {key: jsonl.item_line(item) for key, item in items.items()}


def test_round_trip_into_an_empty_table_reproduces_every_item_byte_for_byte(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, EVERY_TYPE, *numbered(30))
    seed(table=table, clock=SystemClock())  # the app's real items: content, slugs, counters
    long = content.create(
        table=table, kind=BLOG, fields=post_fields(content=REALISTIC_POST), now=SystemClock().now()
    )  # its Markdown and HTML are stored compressed, as Binary
    backup = export_file(table, tmp_path / "backup.jsonl")

    report = service.import_file(client=table.client, table=restore_table.name, path=backup)

    original = raw_items(table)
    assert report.created == report.items == len(original) > 31
    assert _typed_json(raw_items(restore_table)) == _typed_json(original)
    assert raw_items(restore_table)[("BACKUP#types", "ITEM")] == EVERY_TYPE
    stored = original[tuple(keys.content_item("blog", long["id"]).values())]
    assert set(stored["content"]) == set(stored["contentHtml"]) == {"B"}
    assert repository.get(table=restore_table, kind=BLOG, item_id=long["id"]) == long


def test_a_second_import_writes_nothing(table: Table, restore_table: Table, tmp_path: Path) -> None:
    put_raw(table, EVERY_TYPE, *numbered(120))
    backup = export_file(table, tmp_path / "backup.jsonl")
    service.import_file(client=table.client, table=restore_table.name, path=backup)
    before = raw_items(restore_table)

    again = service.import_file(client=table.client, table=restore_table.name, path=backup)

    assert (again.items, again.written, again.unchanged) == (121, 0, 121)
    assert raw_items(restore_table) == before


def test_importing_into_the_source_table_itself_writes_nothing(
    table: Table, tmp_path: Path
) -> None:
    put_raw(table, EVERY_TYPE, *numbered(10))
    backup = export_file(table, tmp_path / "backup.jsonl")

    report = service.import_file(client=table.client, table=table.name, path=backup)

    assert (report.written, report.unchanged) == (0, 11)


def test_import_restores_changed_items_and_leaves_items_outside_the_file_alone(
    table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(5))
    backup = export_file(table, tmp_path / "backup.jsonl")
    changed = {**numbered(5)[2], "n": {"N": "999"}, "extra": {"S": "added later"}}
    put_raw(table, changed, *numbered(1, prefix="LATER"))

    report = service.import_file(client=table.client, table=table.name, path=backup)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    items = raw_items(table)
    assert items[("ITEM#0", "000002")] == numbered(5)[2]
    assert ("LATER#0", "000000") in items


def test_export_of_an_empty_table_is_a_header_and_a_zero_trailer(table: Table) -> None:
    lines = [json.loads(line) for line in export_text(table).splitlines()]

    assert len(lines) == 2
    assert lines[0]["format"] == "portfolio-api-backup"
    assert (lines[0]["version"], lines[0]["table"]) == (1, table.name)
    assert lines[0]["exportedAt"].endswith("Z")
    assert lines[1]["trailer"]["itemCount"] == 0


def test_an_empty_backup_imports_as_nothing(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    backup = export_file(table, tmp_path / "empty.jsonl")

    report = service.import_file(client=table.client, table=restore_table.name, path=backup)

    assert (report.items, report.written) == (0, 0)
    assert raw_items(restore_table) == {}


def test_each_item_line_is_dynamodb_typed_json(table: Table) -> None:
    put_raw(table, EVERY_TYPE)

    (line,) = export_text(table).splitlines()[1:-1]

    item = json.loads(line)["Item"]
    assert item["binary"] == {"B": base64.b64encode(bytes(range(256))).decode()}
    assert item["precise"] == {"N": "3.1415926535897932384626433832795028841"}
    assert item["map"]["M"]["blobs"] == {"BS": ["AQ==", "AgM="]}
    assert line.isascii()


def test_export_pages_through_thousands_of_items(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(3000))
    calls: list[dict[str, Any]] = []

    class CountingClient:
        def scan(self, **request: Any) -> Any:
            calls.append(request)
            return table.client.scan(**request)

    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        count = service.export_table(
            client=CountingClient(), table=table.name, out=out, page_size=250
        )
    report = service.import_file(client=table.client, table=restore_table.name, path=path)

    assert count == report.created == 3000
    # 12 pages (DynamoDB may add an empty 13th: moto ends on the last full page).
    assert len(calls) in (12, 13)
    assert all("ExclusiveStartKey" in call for call in calls[1:])
    assert all(call["ConsistentRead"] for call in calls)
    assert raw_items(restore_table) == raw_items(table)


def test_parallel_segments_export_every_item_once(table: Table) -> None:
    put_raw(table, *numbered(1000))

    text = export_text(table, segments=4, page_size=100)

    items = [json.loads(line)["Item"] for line in text.splitlines()[1:-1]]
    assert sorted(item["n"]["N"] for item in items) == sorted(str(n) for n in range(1000))
    assert json.loads(text.splitlines()[-1])["trailer"]["itemCount"] == 1000
