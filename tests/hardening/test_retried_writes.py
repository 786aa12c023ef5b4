"""A write whose answer was lost is retried by botocore; when the first attempt had landed,
the retry's condition fails on that very write. The API answers what happened (the write was
saved), never "already exists" or "changed meanwhile", and writes nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.db.table import Table
from tests.hardening.faults import Snapshot, install

Headers = dict[str, str]


class LostAnswers:
    """The real client, except that each call of `operations` is applied, its answer lost,
    and the call sent again, as botocore does after a read timeout; an error of the second
    call carries the retry count botocore would give it."""

    def __init__(self, client: Any, *operations: str) -> None:
        self._client = client
        self._operations = operations
        self.sent: list[str] = []

    def __getattr__(self, operation: str) -> Any:
        real = getattr(self._client, operation)
        if operation not in self._operations:
            return real

        def applied_then_retried(**request: Any) -> Any:
            self.sent.append(operation)
            real(**request)  # landed; the answer never came back
            self.sent.append(operation)
            try:
                return real(**request)
            except ClientError as error:
                error.response.setdefault("ResponseMetadata", {})["RetryAttempts"] = 1
                raise

        return applied_then_retried


@pytest.fixture
def lost(app: FastAPI, table: Table) -> Callable[..., LostAnswers]:
    """Install a LostAnswers client for the given operations."""

    def with_lost_answers(*operations: str) -> LostAnswers:
        proxy = LostAnswers(table.client, *operations)
        install(app, table, proxy)  # type: ignore[arg-type]
        return proxy

    return with_lost_answers


def test_a_task_created_twice_by_a_retry_is_one_201(
    client: TestClient,
    owner_headers: Headers,
    lost: Callable[..., LostAnswers],
    items: Callable[[], Snapshot],
) -> None:
    before = items()
    proxy = lost("put_item")

    response = client.post("/v1/tasks", json={"title": "Write the talk"}, headers=owner_headers)

    assert response.status_code == 201, response.text
    assert proxy.sent == ["put_item", "put_item"]
    assert len(items()) == len(before) + 1
    listed = client.get("/v1/tasks", headers=owner_headers).json()["tasks"]
    assert [task["title"] for task in listed] == ["Write the talk"]


@pytest.mark.parametrize("if_match", [True, False], ids=["if-match", "no-if-match"])
def test_a_task_update_applied_by_its_first_attempt_is_a_200(
    client: TestClient, owner_headers: Headers, lost: Callable[..., LostAnswers], if_match: bool
) -> None:
    task = client.post("/v1/tasks", json={"title": "Draft"}, headers=owner_headers).json()
    lost("update_item")
    headers = {**owner_headers, **({"If-Match": '"v1"'} if if_match else {})}

    response = client.patch(
        f"/v1/tasks/{task['id']}", json={"title": "Final", "description": None}, headers=headers
    )

    # (without If-Match the retry finds its condition, the task's existence, still true)
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Final"
    assert "description" not in response.json() or response.json()["description"] is None
    if if_match:
        assert response.json()["version"] == 2


def test_a_task_update_lost_to_another_writer_is_still_a_412(
    client: TestClient, owner_headers: Headers, lost: Callable[..., LostAnswers]
) -> None:
    # The stored item is not this update's result: the retry's failure stands.
    task = client.post("/v1/tasks", json={"title": "Draft"}, headers=owner_headers).json()
    client.patch(f"/v1/tasks/{task['id']}", json={"title": "Theirs"}, headers=owner_headers)
    lost("update_item")

    response = client.patch(
        f"/v1/tasks/{task['id']}",
        json={"title": "Mine"},
        headers={**owner_headers, "If-Match": '"v1"'},
    )

    assert response.status_code == 412, response.text


def test_a_task_deleted_by_the_first_attempt_is_a_204(
    client: TestClient, owner_headers: Headers, lost: Callable[..., LostAnswers]
) -> None:
    task = client.post("/v1/tasks", json={"title": "Gone"}, headers=owner_headers).json()
    lost("delete_item")

    response = client.delete(
        f"/v1/tasks/{task['id']}", headers={**owner_headers, "If-Match": '"v1"'}
    )

    assert response.status_code == 204, response.text
    assert client.get(f"/v1/tasks/{task['id']}", headers=owner_headers).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_resume_write_applied_by_its_first_attempt_is_a_200(
    client: TestClient, owner_headers: Headers, lost: Callable[..., LostAnswers], method: str
) -> None:
    created = client.put("/v1/resume", json={"basics": {"name": "Ada"}}, headers=owner_headers)
    assert created.status_code == 201, created.text
    lost("update_item")

    response = client.request(
        method.upper(),
        "/v1/resume",
        json={"basics": {"name": "Ada Lovelace"}},
        headers={**owner_headers, "If-Match": '"v1"'},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["resume"]["basics"]["name"] == "Ada Lovelace"
    assert body["version"] == 2
