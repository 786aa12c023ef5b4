"""Exact counts under concurrency: marker and counters commit together or not at all."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.db.table import Table
from portfolio_api.visitors import repository
from tests.visitors.conftest import SAFARI, START, browser
from tests.visitors.fakes import ConflictingClient, SerialClient, wire_client

VISITORS = 200


def _track_all(client: TestClient, user_agents: list[str]) -> list[bool]:
    def track(user_agent: str) -> bool:
        response = client.post("/v1/visitors/track", headers=browser(user_agent))
        assert response.status_code == 200, response.text
        tracked: bool = response.json()["tracked"]
        return tracked

    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(track, user_agents))


def test_200_concurrent_distinct_visitors_count_exactly_200(
    app: FastAPI, client: TestClient, clock: FixedClock, table: Table, settings: Settings
) -> None:
    wire_client(app, table, settings, SerialClient(table.client))
    agents = [f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{n}.0" for n in range(VISITORS)]
    tracked = _track_all(client, agents)
    assert tracked == [True] * VISITORS
    assert client.get("/v1/visitors/count").json() == {"count": VISITORS}
    assert repository.visitors_per_day(table=table, days=[START.date()]) == [VISITORS]


def test_200_concurrent_repeats_of_one_visitor_count_exactly_1(
    app: FastAPI, client: TestClient, clock: FixedClock, table: Table, settings: Settings
) -> None:
    wire_client(app, table, settings, SerialClient(table.client))
    tracked = _track_all(client, [browser()["User-Agent"]] * VISITORS)
    assert tracked.count(True) == 1
    assert client.get("/v1/visitors/count").json() == {"count": 1}
    assert repository.visitors_per_day(table=table, days=[START.date()]) == [1]


def test_a_transaction_conflict_is_retried_until_it_commits(
    app: FastAPI, client: TestClient, clock: FixedClock, table: Table, settings: Settings
) -> None:
    client.post("/v1/visitors/track", headers=browser(SAFARI))  # today's first visit
    dynamodb = ConflictingClient(table.client, conflicts=2)
    wire_client(app, table, settings, dynamodb)
    response = client.post("/v1/visitors/track", headers=browser())
    assert response.json() == {"count": 2, "tracked": True}
    assert dynamodb.calls["transact_write_items"] == 3


def test_a_conflict_that_outlasts_the_retries_is_a_409_and_counts_nothing(
    app: FastAPI, client: TestClient, clock: FixedClock, table: Table, settings: Settings
) -> None:
    wire_client(app, table, settings, ConflictingClient(table.client, conflicts=5))
    response = client.post("/v1/visitors/track", headers=browser())
    assert response.status_code == 409
    assert response.json()["error"] == "Conflict"
    assert client.get("/v1/visitors/count").json() == {"count": 0}
