"""DynamoDB throttling and transaction cancellations through the real routes: throttling is a
503 with Retry-After, a lost race is a 412 (If-Match) or 409, and a failure writes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from portfolio_api.db import keys
from portfolio_api.db.table import Expression, Table
from tests.content.conftest import post_fields
from tests.hardening.conftest import WARM_UP_AGENT, Seed
from tests.hardening.faults import (
    FailingProxy,
    Snapshot,
    assert_error,
    dynamodb_error,
    install,
)

THROTTLING = ["ProvisionedThroughputExceededException", "ThrottlingException"]
VISITOR = {"User-Agent": "Mozilla/5.0 (a new visitor)"}
VIEW = "view of the seeded post"


@dataclass(frozen=True)
class Call:
    """One request of a route family, and the DynamoDB operation that decides its outcome.

    Paths name seeded items as `{post}`, `{task}`...; the body `VIEW` stands for a view of the
    seeded post, whose id is only known once the seed exists.
    """

    method: str
    path: str
    operation: str
    body: Any = None
    owner: bool = False

    def send(self, client: TestClient, seed: Seed, owner_headers: dict[str, str]) -> Response:
        ids = {
            "post": seed.post["id"],
            "project": seed.project["id"],
            "certification": seed.certification["id"],
            "task": seed.task["id"],
        }
        headers = owner_headers if self.owner else VISITOR
        body = {"contentType": "blog", "contentId": ids["post"]} if self.body == VIEW else self.body
        return client.request(self.method, self.path.format(**ids), json=body, headers=headers)


PUBLIC_READS = {
    "blog post": Call("GET", "/v1/blog/posts/{post}", "get_item"),
    "blog post by slug": Call("GET", "/v1/blog/posts/first-post", "query"),
    "project list": Call("GET", "/v1/projects", "query"),
    "sitemap": Call("GET", "/v1/sitemap.xml", "query"),
    "blog feed": Call("GET", "/v1/blog/feed.xml", "query"),
    "visitor count": Call("GET", "/v1/visitors/count", "get_item"),
    "content views": Call("GET", "/v1/analytics/views/blog/{post}", "get_item"),
    "resume": Call("GET", "/v1/resume", "get_item"),
}
TRACKS = {
    "visit": Call("POST", "/v1/visitors/track", "transact_write_items"),
    "counter hit": Call("POST", "/v1/visitors/hit", "transact_write_items"),
    "content view": Call("POST", "/v1/analytics/track", "transact_write_items", body=VIEW),
}
OWNER_WRITES = {
    "create post": Call(
        "POST", "/v1/blog/posts", "transact_write_items", post_fields(), owner=True
    ),
    "update certification": Call(
        "PUT",
        "/v1/certifications/{certification}",
        "transact_write_items",
        {"name": "X"},
        owner=True,
    ),
    "unpublish project": Call(
        "POST", "/v1/projects/{project}/unpublish", "transact_write_items", owner=True
    ),
    "create task": Call("POST", "/v1/tasks", "put_item", {"title": "New"}, owner=True),
    "update task": Call("PATCH", "/v1/tasks/{task}", "update_item", {"title": "X"}, owner=True),
    "delete task": Call("DELETE", "/v1/tasks/{task}", "delete_item", owner=True),
    "replace resume": Call("PUT", "/v1/resume", "update_item", {"basics": {}}, owner=True),
    "publish resume": Call("POST", "/v1/resume/publish", "update_item", owner=True),
}


def _throttled(app: FastAPI, table: Table, call: Call, code: str) -> FailingProxy:
    error = dynamodb_error(table.client, code, call.operation)
    return install(app, table, FailingProxy(table.client, fail_on={call.operation: error}))


@pytest.mark.parametrize("code", THROTTLING)
@pytest.mark.parametrize(
    "call",
    [*PUBLIC_READS.values(), *TRACKS.values(), *OWNER_WRITES.values()],
    ids=[*PUBLIC_READS, *TRACKS, *OWNER_WRITES],
)
def test_throttling_is_503_with_retry_after_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    call: Call,
    code: str,
) -> None:
    before = items()
    proxy = _throttled(app, table, call, code)
    response = call.send(client, seeded, owner_headers)
    body = assert_error(response, 503)
    assert response.headers["Retry-After"] == "1"
    assert body["message"] == "The database is busy; retry shortly"
    assert proxy.calls[call.operation] >= 1
    assert items() == before


@pytest.mark.parametrize("fault", ["throttling", "read timeout"])
def test_the_route_answers_again_once_the_fault_passes(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    fault: str,
) -> None:
    call = PUBLIC_READS["blog post"]
    error = (
        dynamodb_error(table.client, THROTTLING[0], call.operation)
        if fault == "throttling"
        else ReadTimeoutError(endpoint_url="https://dynamodb.eu-west-1.amazonaws.com/")
    )
    install(app, table, FailingProxy(table.client, fail_on={"get_item": error}, times=1))
    assert call.send(client, seeded, owner_headers).status_code == 503
    response = call.send(client, seeded, owner_headers)
    assert response.status_code == 200
    assert response.json()["id"] == seeded.post["id"]


def test_the_throttling_warning_names_its_request(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Every line logged while a request is served carries its id: a warning leads to the
    # request, and the request's X-Request-Id to the warning.
    call = PUBLIC_READS["blog post"]
    error = dynamodb_error(table.client, THROTTLING[0], call.operation)
    install(app, table, FailingProxy(table.client, fail_on={"get_item": error}, times=1))
    with caplog.at_level(logging.INFO, logger="portfolio_api"):
        response = call.send(client, seeded, owner_headers)
    warnings = [r for r in caplog.records if r.getMessage() == "dynamodb throttled"]
    assert warnings
    assert {r.requestId for r in warnings} == {response.headers["x-request-id"]}  # type: ignore[attr-defined]
    outside = logging.getLogger("portfolio_api").makeRecord(
        "x", logging.INFO, "f", 1, "m", (), None
    )
    assert not hasattr(outside, "requestId")  # only while a request is served


def _bump_version(table: Table, key: dict[str, str]) -> Callable[[], None]:
    """A concurrent writer that commits a new version of the item at `key`."""

    def write() -> None:
        table.update(
            key,
            update="SET #v = #v + :one, #title = :title",
            expr=Expression(
                names={"#v": "version", "#title": "title"},
                values={":one": 1, ":title": "Changed by the other writer"},
            ),
        )

    return write


def test_an_update_that_loses_a_race_with_if_match_is_412_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
) -> None:
    post_id = seeded.post["id"]
    racer = _bump_version(table, keys.content_item("blog", post_id))
    install(app, table, FailingProxy(table.client, race_on={"transact_write_items": racer}))
    headers = {**owner_headers, "If-Match": f'"v{seeded.post["version"]}"'}
    response = client.put(
        f"/v1/blog/posts/{post_id}", json={"title": "Mine", "slug": "mine"}, headers=headers
    )
    body = assert_error(response, 412)
    assert "If-Match" in body["message"]
    after = items()
    stored = table.get(keys.content_item("blog", post_id))
    assert stored is not None
    assert stored["title"] == "Changed by the other writer"
    assert stored["version"] == seeded.post["version"] + 1
    assert stored["slug"] == "first-post"
    assert ("SLUG#blog#mine", "SLUG") not in after
    assert ("SLUG#blog#first-post", "SLUG") in after


def test_an_update_that_loses_a_race_without_if_match_is_409_with_a_retry_hint(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
) -> None:
    project_id = seeded.project["id"]
    racer = _bump_version(table, keys.content_item("project", project_id))
    install(app, table, FailingProxy(table.client, race_on={"transact_write_items": racer}))
    response = client.put(
        f"/v1/projects/{project_id}", json={"description": "Mine"}, headers=owner_headers
    )
    assert "retry" in assert_error(response, 409)["message"]
    stored = table.get(keys.content_item("project", project_id))
    assert stored is not None
    assert stored["description"] == seeded.project["description"]


@pytest.mark.parametrize(
    ("if_match", "status"), [(True, 412), (False, 409)], ids=["if-match", "no-if-match"]
)
def test_a_delete_that_loses_a_race_deletes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    if_match: bool,
    status: int,
) -> None:
    # A version written between the delete's read and its write must not be destroyed (and
    # two racing deletes must not both take the item off the counters).
    post_id = seeded.post["id"]
    before = items()
    racer = _bump_version(table, keys.content_item("blog", post_id))
    install(app, table, FailingProxy(table.client, race_on={"transact_write_items": racer}))
    headers = {**owner_headers, "If-Match": f'"v{seeded.post["version"]}"'} if if_match else {}
    response = client.delete(f"/v1/blog/posts/{post_id}", headers={**owner_headers, **headers})
    assert_error(response, status)
    stored = table.get(keys.content_item("blog", post_id))
    assert stored is not None
    assert stored["title"] == "Changed by the other writer"
    after = items()
    assert after.keys() == before.keys()
    assert after[("COUNTS#blog", "COUNTS")] == before[("COUNTS#blog", "COUNTS")]


def test_a_task_update_that_loses_a_race_with_if_match_is_412(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
) -> None:
    task_id = seeded.task["id"]
    racer = _bump_version(table, keys.task(task_id))
    install(app, table, FailingProxy(table.client, race_on={"update_item": racer}))
    headers = {**owner_headers, "If-Match": f'"v{seeded.task["version"]}"'}
    response = client.patch(f"/v1/tasks/{task_id}", json={"status": "done"}, headers=headers)
    body = assert_error(response, 412)
    assert body["details"] == {"currentVersion": seeded.task["version"] + 1}
    stored = table.get(keys.task(task_id))
    assert stored is not None
    assert stored["status"] == seeded.task["status"]


def test_a_resume_patch_that_loses_a_race_without_if_match_is_409(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
) -> None:
    def racer() -> None:
        table.update(
            keys.resume(),
            update="SET #v = #v + :one",
            expr=Expression(names={"#v": "version"}, values={":one": 1}),
        )

    install(app, table, FailingProxy(table.client, race_on={"update_item": racer}))
    response = client.patch("/v1/resume", json={"basics": {"label": "Mine"}}, headers=owner_headers)
    assert "retry" in assert_error(response, 409)["message"]
    assert "Mine" not in str(table.get(keys.resume()))


def _take_slug(table: Table, slug: str) -> Callable[[], None]:
    """A concurrent create that claims `slug` for another post."""
    return lambda: table.put({**keys.content_slug("blog", slug), "itemId": "post_other"})


def test_a_slug_taken_during_an_update_is_409_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
) -> None:
    post_id = seeded.post["id"]
    racer = _take_slug(table, "contested")
    install(app, table, FailingProxy(table.client, race_on={"transact_write_items": racer}))
    before = items()
    response = client.put(
        f"/v1/blog/posts/{post_id}", json={"slug": "contested"}, headers=owner_headers
    )
    body = assert_error(response, 409)
    assert body["details"] == {"field": "slug"}
    after = items()
    assert after.pop(("SLUG#blog#contested", "SLUG")) is not None  # the other writer's
    assert after == before


def test_a_slug_taken_during_a_create_with_that_slug_is_409_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
) -> None:
    install(
        app,
        table,
        FailingProxy(
            table.client, race_on={"transact_write_items": _take_slug(table, "contested")}
        ),
    )
    before = items()
    response = client.post(
        "/v1/blog/posts", json=post_fields(slug="contested"), headers=owner_headers
    )
    assert assert_error(response, 409)["details"] == {"field": "slug"}
    after = items()
    after.pop(("SLUG#blog#contested", "SLUG"))
    assert after == before


CONTENT_CHANGES = {
    "create post": OWNER_WRITES["create post"],
    "update project": Call(
        "PUT", "/v1/projects/{project}", "transact_write_items", {"name": "X"}, owner=True
    ),
    "publish certification": Call(
        "POST", "/v1/certifications/{certification}/publish", "transact_write_items", owner=True
    ),
    "delete post": Call("DELETE", "/v1/blog/posts/{post}", "transact_write_items", owner=True),
}


@pytest.mark.parametrize("call", CONTENT_CHANGES.values(), ids=CONTENT_CHANGES)
def test_a_transaction_conflict_is_409_with_a_retry_hint_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    call: Call,
) -> None:
    conflict = dynamodb_error(
        table.client,
        "TransactionCanceledException",
        "TransactWriteItems",
        reasons=("TransactionConflict", "None", "None"),
    )
    install(app, table, FailingProxy(table.client, fail_on={"transact_write_items": conflict}))
    before = items()
    body = assert_error(call.send(client, seeded, owner_headers), 409)
    assert body["message"] == "Another request changed this item at the same time; retry"
    assert items() == before


def _cancelled(table: Table, reason: str, message: str = "injected") -> Exception:
    return dynamodb_error(
        table.client,
        "TransactionCanceledException",
        "TransactWriteItems",
        reasons=(reason, reason, reason, reason),
        message=message,
    )


WRITES = {**TRACKS, "create post": OWNER_WRITES["create post"]}
ITEM_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"


@pytest.mark.parametrize("call", TRACKS.values(), ids=TRACKS)
def test_a_track_that_keeps_conflicting_is_409_and_counts_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    call: Call,
) -> None:
    failing = {"transact_write_items": _cancelled(table, "TransactionConflict")}
    proxy = install(app, table, FailingProxy(table.client, fail_on=failing))
    before = items()
    assert "retry" in assert_error(call.send(client, seeded, owner_headers), 409)["message"]
    assert proxy.calls["transact_write_items"] == 5  # visitors.repository.COMMIT_ATTEMPTS
    assert items() == before


def test_a_track_that_conflicts_once_is_retried_and_counted_once(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
) -> None:
    failing = {"transact_write_items": _cancelled(table, "TransactionConflict")}
    proxy = install(app, table, FailingProxy(table.client, fail_on=failing, times=1))
    response = client.post("/v1/visitors/track", headers=VISITOR)
    assert response.status_code == 200
    assert response.json() == {"count": 2, "tracked": True}
    assert proxy.calls["transact_write_items"] == 2
    assert client.get("/v1/visitors/count").json() == {"count": 2}


@pytest.mark.parametrize("reason", ["ThrottlingError", "ProvisionedThroughputExceeded"])
@pytest.mark.parametrize("call", WRITES.values(), ids=WRITES)
def test_a_transaction_cancelled_by_throttling_is_503_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    call: Call,
    reason: str,
) -> None:
    # On demand a cancelled action says ThrottlingError; on a provisioned table (the
    # TableBillingMode option), ProvisionedThroughputExceeded.
    failing = {"transact_write_items": _cancelled(table, reason)}
    install(app, table, FailingProxy(table.client, fail_on=failing))
    before = items()
    response = call.send(client, seeded, owner_headers)
    assert_error(response, 503)
    assert response.headers["Retry-After"] == "1"
    assert items() == before


@pytest.mark.parametrize("call", WRITES.values(), ids=WRITES)
def test_a_transaction_cancelled_by_an_item_over_400_kb_is_413_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    call: Call,
) -> None:
    failing = {"transact_write_items": _cancelled(table, "ValidationError", ITEM_TOO_LARGE)}
    install(app, table, FailingProxy(table.client, fail_on=failing))
    before = items()
    response = call.send(client, seeded, owner_headers)
    assert_error(response, 413)
    assert items() == before


def test_a_visit_refused_with_503_is_counted_once_when_retried(
    app: FastAPI, table: Table, client: TestClient, seeded: Seed
) -> None:
    install(
        app,
        table,
        FailingProxy(
            table.client,
            fail_on={"transact_write_items": _cancelled(table, "ThrottlingError")},
            times=1,
        ),
    )
    assert client.post("/v1/visitors/track", headers=VISITOR).status_code == 503
    assert client.post("/v1/visitors/track", headers=VISITOR).json() == {
        "count": 2,
        "tracked": True,
    }
    warm_up = client.post("/v1/visitors/track", headers={"User-Agent": WARM_UP_AGENT})
    assert warm_up.json() == {"count": 2, "tracked": False}


@pytest.mark.parametrize(
    "call",
    [PUBLIC_READS["blog post"], TRACKS["visit"], OWNER_WRITES["create task"]],
    ids=["public read", "track", "owner write"],
)
def test_an_unexpected_dynamodb_error_is_a_500_without_internals(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    call: Call,
) -> None:
    """(The 500 handler itself is pinned by tests/test_errors.py; this is the real path.)"""
    # A misconfigured role is not retryable: DynamoDB's own 500/503 are (tests/db/test_table.py).
    error = dynamodb_error(table.client, "AccessDeniedException", call.operation)
    install(app, table, FailingProxy(table.client, fail_on={call.operation: error}))
    before = items()
    response = call.send(client, seeded, owner_headers)
    body = assert_error(response, 500)
    assert body["details"] == {"requestId": response.headers["X-Request-Id"]}
    for internal in ("AccessDenied", "injected", "botocore", "portfolio_api", "File "):
        assert internal not in response.text
    assert items() == before
