"""Content views: constant DynamoDB requests per operation, exact counts under concurrency."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.analytics import repository
from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.db import codec, keys
from portfolio_api.db.table import Table
from portfolio_api.visitors.identity import epoch_after
from tests.analytics.conftest import publish
from tests.visitors.conftest import FIREFOX, SAFARI, START, browser
from tests.visitors.fakes import CountingClient, SerialClient, wire_client

VIEWERS = 200


def seed_prior_views(table: Table, views: int) -> None:
    """`views` views of post_1 already counted today, written in bulk."""
    day = START.date()
    markers = [
        {
            **keys.view_seen(secrets.token_hex(16), day, "blog", "post_1"),
            "expiresAt": epoch_after(day),
        }
        for _ in range(views)
    ]
    for start in range(0, len(markers), 25):
        batch = [{"PutRequest": {"Item": codec.to_item(m)}} for m in markers[start : start + 25]]
        table.client.batch_write_item(RequestItems={table.name: batch})
    publish(table, "blog", "post_1", views=views)


@pytest.fixture
def dynamodb(app: FastAPI, table: Table, settings: Settings, clock: FixedClock) -> CountingClient:
    """The app's DynamoDB client, counting."""
    counting = CountingClient(table.client)
    wire_client(app, table, settings, counting)
    return counting


Send = Callable[[], httpx.Response]


def _calls(dynamodb: CountingClient, send: Send) -> dict[str, int]:
    dynamodb.reset()
    response = send()
    assert response.status_code in (200, 404), response.text
    return dict(dynamodb.calls)


@pytest.mark.parametrize("prior_views", [10, 10_000])
def test_request_counts_do_not_depend_on_how_many_views_exist(
    prior_views: int,
    client: TestClient,
    table: Table,
    dynamodb: CountingClient,
    owner_headers: dict[str, str],
) -> None:
    seed_prior_views(table, prior_views)

    def track(agent: str, item_id: str = "post_1") -> Send:
        return lambda: client.post(
            "/v1/analytics/track",
            json={"contentId": item_id, "contentType": "blog"},
            headers=browser(agent),
        )

    def get(url: str, headers: dict[str, str] | None = None) -> Send:
        return lambda: client.get(url, headers=headers)

    _calls(dynamodb, track("warm-up browser/1.0"))  # creates today's salt
    assert _calls(dynamodb, track(FIREFOX)) == {"transact_write_items": 1, "get_item": 1}
    assert _calls(dynamodb, track(FIREFOX)) == {"transact_write_items": 1, "get_item": 1}
    assert _calls(dynamodb, track(SAFARI, "unknown")) == {"transact_write_items": 1}
    assert _calls(dynamodb, track("Googlebot/2.1")) == {"get_item": 1}
    assert _calls(dynamodb, get("/v1/analytics/views/blog/post_1")) == {"get_item": 1}
    # Owner routes also read the owner's last logout (auth.sessions): one GetItem.
    stats = get("/v1/analytics/views/blog", owner_headers)
    assert _calls(dynamodb, stats) == {"query": 1, "get_item": 1}
    top = get("/v1/analytics/top-content", owner_headers)
    assert _calls(dynamodb, top) == {"query": 3, "get_item": 1}
    # The total sums the per-item counters of each kind: a view writes no global counter.
    total = get("/v1/analytics/total-views", owner_headers)
    assert _calls(dynamodb, total) == {"query": 3, "get_item": 1}
    assert client.get("/v1/analytics/views/blog/post_1").json()["views"] == prior_views + 2


def test_200_concurrent_distinct_viewers_count_exactly_200(
    app: FastAPI,
    client: TestClient,
    clock: FixedClock,
    table: Table,
    settings: Settings,
    owner_headers: dict[str, str],
) -> None:
    wire_client(app, table, settings, SerialClient(table.client))
    publish(table, "blog", "post_1")
    agents = [f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{n}.0" for n in range(VIEWERS)]
    assert _track_all(client, agents).count(True) == VIEWERS
    assert repository.get_views(table=table, kind="blog", item_id="post_1") == VIEWERS
    total = client.get("/v1/analytics/total-views", headers=owner_headers)
    assert total.json()["totalViews"] == VIEWERS


def test_200_concurrent_repeats_of_one_viewer_count_exactly_1(
    app: FastAPI, client: TestClient, clock: FixedClock, table: Table, settings: Settings
) -> None:
    wire_client(app, table, settings, SerialClient(table.client))
    publish(table, "blog", "post_1")
    assert _track_all(client, [FIREFOX] * VIEWERS).count(True) == 1
    assert repository.get_views(table=table, kind="blog", item_id="post_1") == 1


def _track_all(client: TestClient, agents: list[str]) -> list[bool]:
    def track(agent: str) -> bool:
        response = client.post(
            "/v1/analytics/track",
            json={"contentId": "post_1", "contentType": "blog"},
            headers=browser(agent),
        )
        assert response.status_code == 200, response.text
        tracked: bool = response.json()["tracked"]
        return tracked

    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(track, agents))
