"""A create never overwrites an item already at its new id: ids are random (64 bits), but a
regression in how they are made must show up as a 409, not as a silently replaced item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.db.table import Table
from tests.content.conftest import post_fields
from tests.hardening.faults import Snapshot, assert_error, install


class FirstWriterAtTheSameKey:
    """The real client, except that before a create's write another writer puts an item at
    the very key the create is about to write (the first `Put` of its request)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.taken: dict[str, Any] | None = None

    def __getattr__(self, operation: str) -> Any:
        real = getattr(self._client, operation)
        if operation not in ("put_item", "transact_write_items"):
            return real

        def first_writer_wins(**request: Any) -> Any:
            if self.taken is None:
                if operation == "put_item":
                    table, item = request["TableName"], request["Item"]
                else:
                    put = next(a["Put"] for a in request["TransactItems"] if "Put" in a)
                    table, item = put["TableName"], put["Item"]
                self.taken = {**item, "title": {"S": "The first writer's"}}
                self._client.put_item(TableName=table, Item=self.taken)
            return real(**request)

        return first_writer_wins


def _created_over(
    app: FastAPI, table: Table, client: TestClient, path: str, body: dict[str, Any], owner: Any
) -> tuple[dict[str, Any], FirstWriterAtTheSameKey]:
    first = FirstWriterAtTheSameKey(table.client)
    install(app, table, first)  # type: ignore[arg-type]
    response = client.post(path, json=body, headers=owner)
    return assert_error(response, 409), first


def test_a_post_created_at_a_taken_id_is_409_and_leaves_the_first_alone(
    app: FastAPI,
    table: Table,
    client: TestClient,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
) -> None:
    body, first = _created_over(app, table, client, "/v1/blog/posts", post_fields(), owner_headers)

    assert "already exists" in body["message"]
    assert first.taken is not None
    key = (first.taken["PK"]["S"], first.taken["SK"]["S"])
    assert "The first writer's" in items()[key]
    assert not [k for k in items() if k[0].startswith("SLUG#")]


def test_a_task_created_at_a_taken_id_is_409_and_leaves_the_first_alone(
    app: FastAPI,
    table: Table,
    client: TestClient,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
) -> None:
    body, first = _created_over(app, table, client, "/v1/tasks", {"title": "Mine"}, owner_headers)

    assert "already exists" in body["message"]
    assert first.taken is not None
    key = (first.taken["PK"]["S"], first.taken["SK"]["S"])
    assert "The first writer's" in items()[key]
