"""`--dry-run` reports what an import would change and writes nothing."""

from __future__ import annotations

from pathlib import Path

from portfolio_api.backup import service
from portfolio_api.backup.service import Change
from portfolio_api.db.table import Table
from tests.backup.conftest import export_file, numbered, put_raw, raw_items


def test_a_dry_run_into_an_empty_table_would_create_everything_and_writes_nothing(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(150))
    backup = export_file(table, tmp_path / "backup.jsonl")

    report = service.import_file(
        client=table.client, table=restore_table.name, path=backup, dry_run=True
    )

    assert (report.created, report.updated, report.unchanged, report.written) == (150, 0, 0, 150)
    assert len(report.changes) == 150
    assert raw_items(restore_table) == {}


def test_a_dry_run_lists_each_change_with_the_attributes_that_differ(
    table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(3))
    backup = export_file(table, tmp_path / "backup.jsonl")
    edited = {**numbered(3)[1], "n": {"N": "-1"}, "note": {"S": "new"}}
    table.client.delete_item(
        TableName=table.name, Key={"PK": {"S": "ITEM#0"}, "SK": {"S": "000000"}}
    )
    put_raw(table, edited)
    before = raw_items(table)

    report = service.import_file(client=table.client, table=table.name, path=backup, dry_run=True)

    assert sorted(report.changes, key=lambda c: c.action) == [
        Change("create", {"PK": "ITEM#0", "SK": "000000"}),
        Change("update", {"PK": "ITEM#0", "SK": "000001"}, ("n", "note")),
    ]
    assert [c.describe() for c in report.changes if c.action == "update"] == [
        "update PK=ITEM#0 SK=000001 (n, note)"
    ]
    assert report.unchanged == 1
    assert raw_items(table) == before


def test_set_members_in_another_order_are_not_a_change() -> None:
    old = {"PK": {"S": "P"}, "SK": {"S": "S"}, "tags": {"SS": ["a", "b"]}}
    new = {"PK": {"S": "P"}, "SK": {"S": "S"}, "tags": {"SS": ["b", "a"]}}

    assert service.differing_attributes(old, new) == ()
    assert service.differing_attributes(old, {**new, "tags": {"L": [{"S": "a"}]}}) == ("tags",)
