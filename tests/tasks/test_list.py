"""`GET /v1/tasks`: newest first or by due date, filters, and cursor pagination."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock

TASKS = "/v1/tasks"


@pytest.fixture
def owner(client: TestClient, app: FastAPI, owner_headers: dict[str, str]) -> dict[str, str]:
    """The owner's headers, with five tasks created a minute apart (t0 oldest)."""
    clock = FixedClock(datetime(2025, 3, 7, 9, 0, tzinfo=UTC))
    app.state.clock = clock
    tasks = [
        {"title": "t0", "status": "done", "dueDate": "2025-03-10"},
        {"title": "t1", "status": "todo"},
        {"title": "t2", "status": "doing", "dueDate": "2025-03-01"},
        {"title": "t3", "status": "todo", "dueDate": "2025-03-20"},
        {"title": "t4", "status": "todo", "dueDate": "2025-03-10"},
    ]
    for task in tasks:
        assert client.post(TASKS, json=task, headers=owner_headers).status_code == 201
        clock.advance(minutes=1)
    return owner_headers


def _titles(client: TestClient, owner: dict[str, str], **params: object) -> list[str]:
    response = client.get(TASKS, params=params, headers=owner)
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()["tasks"]]


def test_newest_first_by_default(client: TestClient, owner: dict[str, str]) -> None:
    assert _titles(client, owner) == ["t4", "t3", "t2", "t1", "t0"]


def test_by_due_date_soonest_first_and_undated_last(
    client: TestClient, owner: dict[str, str]
) -> None:
    assert _titles(client, owner, sort="due") == ["t2", "t0", "t4", "t3", "t1"]


def test_filter_by_status(client: TestClient, owner: dict[str, str]) -> None:
    assert _titles(client, owner, status="todo") == ["t4", "t3", "t1"]
    assert _titles(client, owner, status="todo", sort="due") == ["t4", "t3", "t1"]
    assert _titles(client, owner, status="doing") == ["t2"]


def test_due_before_excludes_that_day_and_undated_tasks(
    client: TestClient, owner: dict[str, str]
) -> None:
    assert _titles(client, owner, dueBefore="2025-03-10") == ["t2"]
    assert _titles(client, owner, dueBefore="2025-03-11", sort="due") == ["t2", "t0", "t4"]
    assert _titles(client, owner, dueBefore="2025-03-11") == ["t4", "t2", "t0"]


def test_due_before_and_status_combine(client: TestClient, owner: dict[str, str]) -> None:
    assert _titles(client, owner, dueBefore="2025-03-31", status="todo", sort="due") == [
        "t4",
        "t3",
    ]


@pytest.mark.parametrize("sort", ["newest", "due"])
def test_cursor_pages_through_every_task_once(
    client: TestClient, owner: dict[str, str], sort: str
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, object] = {"limit": 2, "sort": sort}
        if cursor:
            params["cursor"] = cursor
        body = client.get(TASKS, params=params, headers=owner).json()
        assert body["limit"] == 2
        seen.extend(task["title"] for task in body["tasks"])
        cursor = body["nextCursor"]
        pages += 1
        if cursor is None:
            break
    assert sorted(seen) == ["t0", "t1", "t2", "t3", "t4"]
    assert seen == _titles(client, owner, sort=sort)
    assert pages == 3


def test_a_cursor_of_another_query_is_400(client: TestClient, owner: dict[str, str]) -> None:
    cursor = client.get(TASKS, params={"limit": 2}, headers=owner).json()["nextCursor"]
    response = client.get(
        TASKS, params={"limit": 2, "sort": "due", "cursor": cursor}, headers=owner
    )
    assert response.status_code == 400
    assert response.json()["details"] == {"field": "cursor"}


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"status": "blocked"}, {"sort": "title"}, {"dueBefore": "x"}],
)
def test_invalid_list_parameters_are_400(
    client: TestClient, owner_headers: dict[str, str], params: dict[str, object]
) -> None:
    assert client.get(TASKS, params=params, headers=owner_headers).status_code == 400


def test_changing_the_due_date_moves_the_task_in_due_order(
    client: TestClient, owner: dict[str, str]
) -> None:
    t1 = next(t for t in client.get(TASKS, headers=owner).json()["tasks"] if t["title"] == "t1")
    client.patch(f"{TASKS}/{t1['id']}", json={"dueDate": "2025-02-01"}, headers=owner)
    assert _titles(client, owner, sort="due")[0] == "t1"
    client.patch(f"{TASKS}/{t1['id']}", json={"dueDate": None}, headers=owner)
    assert _titles(client, owner, sort="due")[-1] == "t1"


def test_an_empty_list(client: TestClient, owner_headers: dict[str, str]) -> None:
    body = client.get(TASKS, headers=owner_headers).json()
    assert body == {"tasks": [], "limit": 20, "nextCursor": None}
