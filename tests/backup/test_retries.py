"""Unprocessed items and keys are retried with backoff until DynamoDB takes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portfolio_api.backup import service
from portfolio_api.db.table import Table
from tests.backup.conftest import export_file, numbered, put_raw, raw_items


class BusyDynamoDB:
    """The real (moto) client, except that each batch call handles only its first
    `accepted` requests and hands back the rest as unprocessed, as DynamoDB does under load."""

    def __init__(self, client: Any, *, accepted: int) -> None:
        self.client = client
        self.accepted = accepted
        self.write_calls = 0
        self.get_calls = 0

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.write_calls += 1
        ((table, requests),) = RequestItems.items()
        done, rest = requests[: self.accepted], requests[self.accepted :]
        if done:
            self.client.batch_write_item(RequestItems={table: done})
        return {"UnprocessedItems": {table: rest} if rest else {}}

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.get_calls += 1
        ((table, request),) = RequestItems.items()
        keys = request["Keys"]
        done, rest = keys[: self.accepted], keys[self.accepted :]
        response: dict[str, Any] = {"Responses": {}}
        if done:
            response = self.client.batch_get_item(RequestItems={table: {**request, "Keys": done}})
        if rest:
            response["UnprocessedKeys"] = {table: {**request, "Keys": rest}}
        return response


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backoff without the sleeping (the delays themselves are not under test)."""
    monkeypatch.setattr(service, "BACKOFF_BASE_SECONDS", 0.0)


def test_unprocessed_items_and_keys_are_retried_until_all_are_written(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(60))
    backup = export_file(table, tmp_path / "backup.jsonl")
    busy = BusyDynamoDB(table.client, accepted=7)

    report = service.import_file(client=busy, table=restore_table.name, path=backup)

    assert report.created == 60
    assert raw_items(restore_table) == raw_items(table)
    assert busy.write_calls == 4 + 4 + 2  # batches of 25, 25 and 10, 7 items per call
    assert busy.get_calls == 9  # one chunk of 60 keys, 7 per call


def test_an_import_gives_up_after_the_last_attempt(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(1))
    backup = export_file(table, tmp_path / "backup.jsonl")
    stuck = BusyDynamoDB(table.client, accepted=0)

    with pytest.raises(service.BackupError, match="after 10 attempts"):
        service.import_file(client=stuck, table=restore_table.name, path=backup)

    assert stuck.get_calls == service.MAX_ATTEMPTS
