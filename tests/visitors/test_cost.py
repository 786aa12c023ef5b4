"""DynamoDB requests per operation, counted at the client: constant whatever the history."""

from __future__ import annotations

import secrets

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.db import codec, keys
from portfolio_api.db.table import Table
from portfolio_api.visitors.identity import epoch_after
from tests.visitors.conftest import FIREFOX, SAFARI, START, browser
from tests.visitors.fakes import CountingClient, wire_client

BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def seed_prior_visits(table: Table, visits: int) -> None:
    """`visits` visitors already counted today and the days before, written in bulk."""
    day = START.date()
    items = [
        {**keys.visit_seen(secrets.token_hex(16), day), "expiresAt": epoch_after(day)}
        for _ in range(visits)
    ]
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": codec.to_item(i)}} for i in items[start : start + 25]]
        table.client.batch_write_item(RequestItems={table.name: batch})
    table.put(
        {**keys.visitor_total(), "count": visits, "day": day.isoformat(), "dayVisitors": visits}
    )


@pytest.fixture
def dynamodb(app: FastAPI, table: Table, settings: Settings, clock: FixedClock) -> CountingClient:
    """The app's DynamoDB client, counting; today's salt already cached (the day's first
    request per container reads or creates it: one extra GetItem, rarely a PutItem)."""
    counting = CountingClient(table.client)
    wire_client(app, table, settings, counting)
    return counting


def _calls_of(
    dynamodb: CountingClient, client: TestClient, method: str, url: str, ua: str
) -> dict[str, int]:
    dynamodb.reset()
    response = client.request(method, url, headers=browser(ua))
    assert response.status_code == 200
    return dict(dynamodb.calls)


@pytest.mark.parametrize("prior_visits", [10, 10_000])
def test_request_counts_do_not_depend_on_how_many_visits_exist(
    prior_visits: int, client: TestClient, table: Table, dynamodb: CountingClient
) -> None:
    seed_prior_visits(table, prior_visits)
    warm = _calls_of(dynamodb, client, "POST", "/v1/visitors/track", "warm-up browser/1.0")
    # the salt created, and the one past its lifetime deleted (by key: none here)
    assert warm == {"get_item": 2, "put_item": 1, "delete_item": 1, "transact_write_items": 1}

    new_visitor = _calls_of(dynamodb, client, "POST", "/v1/visitors/track", FIREFOX)
    repeat = _calls_of(dynamodb, client, "POST", "/v1/visitors/track", FIREFOX)
    robot = _calls_of(dynamodb, client, "POST", "/v1/visitors/track", BOT)
    count = _calls_of(dynamodb, client, "GET", "/v1/visitors/count", SAFARI)
    hit = _calls_of(dynamodb, client, "POST", "/v1/visitors/hit", SAFARI)
    badge = _calls_of(dynamodb, client, "GET", "/v1/visitors/badge.svg", SAFARI)

    assert new_visitor == {"transact_write_items": 1, "get_item": 1}
    assert repeat == {"transact_write_items": 1, "get_item": 1}
    assert robot == {"get_item": 1}
    assert count == {"get_item": 1}
    assert hit == {"transact_write_items": 1, "get_item": 1}
    assert badge == {"get_item": 1}
    assert client.get("/v1/visitors/count").json() == {"count": prior_visits + 3}


def test_the_first_visit_of_a_day_reads_the_total_and_moves_the_previous_day(
    client: TestClient, table: Table, clock: FixedClock, dynamodb: CountingClient
) -> None:
    seed_prior_visits(table, 10)
    clock.advance(days=1)
    first = _calls_of(dynamodb, client, "POST", "/v1/visitors/track", FIREFOX)
    # salt of the new day (GetItem + PutItem, DeleteItem of the salt past its lifetime), the
    # cancelled 2-action transaction, the total, the 3-action transaction that moves
    # yesterday's count, the count of the answer
    assert first == {"get_item": 3, "put_item": 1, "delete_item": 1, "transact_write_items": 2}
    second = _calls_of(dynamodb, client, "POST", "/v1/visitors/track", SAFARI)
    assert second == {"transact_write_items": 1, "get_item": 1}


@pytest.mark.parametrize("days", [1, 30, 90])
def test_daily_trends_are_one_query_whatever_the_span(
    days: int,
    client: TestClient,
    table: Table,
    dynamodb: CountingClient,
    owner_headers: dict[str, str],
) -> None:
    seed_prior_visits(table, 10)
    dynamodb.reset()
    response = client.get(f"/v1/visitors/trends/daily?days={days}", headers=owner_headers)
    assert response.status_code == 200
    assert dict(dynamodb.calls) == {"query": 1, "get_item": 1}  # + the owner's last logout


def test_monthly_trends_are_one_query(
    client: TestClient, table: Table, dynamodb: CountingClient, owner_headers: dict[str, str]
) -> None:
    seed_prior_visits(table, 10)
    dynamodb.reset()
    response = client.get("/v1/visitors/trends/monthly?months=12", headers=owner_headers)
    assert response.status_code == 200
    assert dict(dynamodb.calls) == {"query": 1, "get_item": 1}  # + the owner's last logout
