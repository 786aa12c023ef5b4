"""The task routes through the real app on moto: create, read, change, delete, and
optimistic concurrency; anonymous callers learn nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock

TASKS = "/v1/tasks"
MISSING_ID = "01J00000000000000000000000"


@pytest.fixture
def clock(app: FastAPI) -> FixedClock:
    fixed = FixedClock(datetime(2025, 3, 7, 9, 30, tzinfo=UTC))
    app.state.clock = fixed
    return fixed


def _create(client: TestClient, owner: dict[str, str], **fields: object) -> dict[str, object]:
    response = client.post(TASKS, json={"title": "A task", **fields}, headers=owner)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_create_returns_the_task_with_defaults_location_and_etag(
    client: TestClient, owner_headers: dict[str, str], clock: FixedClock
) -> None:
    response = client.post(TASKS, json={"title": "  Renew TLS  "}, headers=owner_headers)
    assert response.status_code == 201
    task = response.json()
    assert task == {
        "id": task["id"],
        "title": "Renew TLS",
        "description": None,
        "status": "todo",
        "priority": "medium",
        "dueDate": None,
        "tags": [],
        "createdAt": "2025-03-07T09:30:00.000Z",
        "updatedAt": "2025-03-07T09:30:00.000Z",
        "version": 1,
    }
    assert response.headers["Location"] == f"{TASKS}/{task['id']}"
    assert response.headers["ETag"] == '"v1"'


def test_create_keeps_every_field(client: TestClient, owner_headers: dict[str, str]) -> None:
    task = _create(
        client,
        owner_headers,
        description="Certificate expires soon",
        status="doing",
        priority="high",
        dueDate="2025-04-01",
        tags=["ops", "tls", "ops"],
    )
    fetched = client.get(f"{TASKS}/{task['id']}", headers=owner_headers).json()
    assert fetched == task
    assert fetched["dueDate"] == "2025-04-01"
    assert fetched["tags"] == ["ops", "tls"]
    assert fetched["priority"] == "high"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "   "},
        {"title": "x" * 201},
        {"title": "A", "status": "blocked"},
        {"title": "A", "priority": "urgent"},
        {"title": "A", "dueDate": "next week"},
        {"title": "A", "tags": ["x"] * 21},
        {"title": "A", "owner": "someone"},
    ],
)
def test_create_refuses_invalid_tasks(
    client: TestClient, owner_headers: dict[str, str], body: dict[str, object]
) -> None:
    assert client.post(TASKS, json=body, headers=owner_headers).status_code == 400


def test_get_of_an_unknown_or_malformed_id_is_404(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    assert client.get(f"{TASKS}/{MISSING_ID}", headers=owner_headers).status_code == 404
    assert client.get(f"{TASKS}/not-an-id", headers=owner_headers).status_code == 404
    assert client.get(f"{TASKS}/A%23B", headers=owner_headers).status_code == 404


def test_patch_changes_only_the_given_fields_and_bumps_the_version(
    client: TestClient, owner_headers: dict[str, str], clock: FixedClock
) -> None:
    task = _create(client, owner_headers, description="d", tags=["a"], dueDate="2025-04-01")
    clock.advance(hours=1)
    response = client.patch(f"{TASKS}/{task['id']}", json={"status": "done"}, headers=owner_headers)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"v2"'
    assert response.json() == {
        **task,
        "status": "done",
        "version": 2,
        "updatedAt": "2025-03-07T10:30:00.000Z",
    }


def test_patch_null_clears_description_due_date_and_tags(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    task = _create(client, owner_headers, description="d", tags=["a"], dueDate="2025-04-01")
    patch = {"description": None, "dueDate": None, "tags": None}
    updated = client.patch(f"{TASKS}/{task['id']}", json=patch, headers=owner_headers).json()
    assert updated["description"] is None
    assert updated["dueDate"] is None
    assert updated["tags"] == []


@pytest.mark.parametrize("field", ["title", "status", "priority"])
def test_patch_cannot_clear_a_required_field(
    client: TestClient, owner_headers: dict[str, str], field: str
) -> None:
    task = _create(client, owner_headers)
    response = client.patch(f"{TASKS}/{task['id']}", json={field: None}, headers=owner_headers)
    assert response.status_code == 400


def test_empty_patch_changes_nothing(client: TestClient, owner_headers: dict[str, str]) -> None:
    task = _create(client, owner_headers)
    response = client.patch(f"{TASKS}/{task['id']}", json={}, headers=owner_headers)
    assert response.status_code == 200
    assert response.json() == task


def test_patch_of_a_missing_task_is_404(client: TestClient, owner_headers: dict[str, str]) -> None:
    response = client.patch(f"{TASKS}/{MISSING_ID}", json={"title": "x"}, headers=owner_headers)
    assert response.status_code == 404
    assert client.get(f"{TASKS}/{MISSING_ID}", headers=owner_headers).status_code == 404


def test_patch_with_a_stale_if_match_is_412_and_changes_nothing(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    task = _create(client, owner_headers)
    path = f"{TASKS}/{task['id']}"
    client.patch(path, json={"title": "second"}, headers=owner_headers)
    stale = {**owner_headers, "If-Match": '"v1"'}
    response = client.patch(path, json={"title": "third"}, headers=stale)
    assert response.status_code == 412
    assert response.json()["details"] == {"currentVersion": 2}
    assert client.get(path, headers=owner_headers).json()["title"] == "second"


def test_patch_with_the_current_if_match_succeeds(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    task = _create(client, owner_headers)
    path = f"{TASKS}/{task['id']}"
    etag = client.get(path, headers=owner_headers).headers["ETag"]
    headers = {**owner_headers, "If-Match": etag}
    response = client.patch(path, json={"title": "new"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["title"] == "new"


def test_delete_removes_the_task(client: TestClient, owner_headers: dict[str, str]) -> None:
    task = _create(client, owner_headers)
    path = f"{TASKS}/{task['id']}"
    response = client.delete(path, headers=owner_headers)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(path, headers=owner_headers).status_code == 404
    assert client.delete(path, headers=owner_headers).status_code == 404


def test_delete_with_a_stale_if_match_is_412(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    task = _create(client, owner_headers)
    path = f"{TASKS}/{task['id']}"
    client.patch(path, json={"status": "doing"}, headers=owner_headers)
    assert client.delete(path, headers={**owner_headers, "If-Match": '"v1"'}).status_code == 412
    assert client.get(path, headers=owner_headers).status_code == 200


ROUTES = [
    ("post", TASKS),
    ("get", TASKS),
    ("get", f"{TASKS}/{MISSING_ID}"),
    ("patch", f"{TASKS}/{MISSING_ID}"),
    ("delete", f"{TASKS}/{MISSING_ID}"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_calls_are_401_and_reveal_nothing(
    client: TestClient, owner_headers: dict[str, str], method: str, path: str
) -> None:
    task = _create(client, owner_headers, title="Secret plan")
    bodies = []
    for target in (path, path.replace(MISSING_ID, str(task["id"]))):
        response = client.request(method, target, json={"title": 5})
        assert response.status_code == 401
        assert "Secret plan" not in response.text
        assert str(task["id"]) not in response.text
        assert "ETag" not in response.headers
        bodies.append(response.json())
    # An existing and a missing task look the same, and an invalid body is not even read.
    assert bodies[0] == bodies[1]
    assert bodies[0]["details"] is None


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_non_owner_is_403(
    client: TestClient, non_owner_headers: dict[str, str], method: str, path: str
) -> None:
    response = client.request(method, path, json={"title": "x"}, headers=non_owner_headers)
    assert response.status_code == 403
