"""The total carries the running count of its day; later days move it to the day's own item.

Every test checks the two things a reader sees, the all-time count and the per-day visitors,
against the number of distinct visitors counted, whatever the order the days arrive in.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from portfolio_api.visitors import repository
from tests.hardening.faults import (
    FailingProxy,
    Snapshot,
    assert_error,
    dynamodb_error,
    snapshot,
)
from tests.visitors.conftest import FIREFOX, SAFARI, START, browser
from tests.visitors.fakes import SerialClient

DAY_1 = START.date()
DAY_2 = DAY_1 + timedelta(days=1)
EXPIRES = 2_000_000_000


def _visit(client: TestClient, *agents: str) -> None:
    for agent in agents:
        assert client.post("/v1/visitors/track", headers=browser(agent)).json()["tracked"]


def _record(table: Table, visitor: str, day: date) -> bool:
    return repository.record_visit(table=table, visitor=visitor, day=day, expires_at=EXPIRES)


def _visitors_partition(table: Table) -> dict[str, dict[str, Any]]:
    response = table.client.query(
        TableName=table.name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "VISITORS"}},
        ConsistentRead=True,
    )
    return {item["SK"]["S"]: item for item in response["Items"]}


def test_the_first_visit_of_a_day_moves_the_previous_days_count_to_its_item(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    _visit(client, FIREFOX, SAFARI, "curl-like browser/1.0")
    clock.advance(days=1)
    _visit(client, FIREFOX, SAFARI)

    stored = _visitors_partition(table)
    assert set(stored) == {"DAY#2025-03-07", "TOTAL"}
    assert stored["DAY#2025-03-07"]["visitors"] == {"N": "3"}
    assert stored["TOTAL"]["count"] == {"N": "5"}
    assert stored["TOTAL"]["day"] == {"S": "2025-03-08"}
    assert stored["TOTAL"]["dayVisitors"] == {"N": "2"}
    assert repository.visitors_per_day(table=table, days=[DAY_1, DAY_2]) == [3, 2]
    assert client.get("/v1/visitors/count").json() == {"count": 5}


def test_days_without_visits_stay_zero_between_two_visited_days(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    _visit(client, FIREFOX)
    clock.advance(days=3)
    _visit(client, FIREFOX, SAFARI)
    days = [DAY_1 + timedelta(days=n) for n in range(4)]
    assert repository.visitors_per_day(table=table, days=days) == [1, 0, 0, 2]
    assert set(_visitors_partition(table)) == {"DAY#2025-03-07", "TOTAL"}


def test_a_late_visit_of_a_day_already_moved_is_added_to_that_days_item(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    _visit(client, FIREFOX)
    clock.advance(days=1)
    _visit(client, FIREFOX)
    # A request that started before midnight commits after the next day's first visit.
    assert _record(table, "late-visitor", DAY_1) is True
    assert _record(table, "late-visitor", DAY_1) is False

    assert repository.visitors_per_day(table=table, days=[DAY_1, DAY_2]) == [2, 1]
    assert repository.get_total(table=table, consistent=True) == 3
    assert _visitors_partition(table)["TOTAL"]["dayVisitors"] == {"N": "1"}


def test_a_total_written_by_an_earlier_release_keeps_its_count_and_day(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    # Earlier releases kept every day on its own item and the total without a day.
    table.put({**keys.visitor_total(), "count": 40})
    table.put({**keys.visitor_day(DAY_1), "visitors": 5})

    _visit(client, FIREFOX)
    assert client.get("/v1/visitors/count").json() == {"count": 41}
    assert repository.visitors_per_day(table=table, days=[DAY_1]) == [6]

    clock.advance(days=1)
    _visit(client, FIREFOX)
    assert repository.visitors_per_day(table=table, days=[DAY_1, DAY_2]) == [6, 1]
    assert _visitors_partition(table)["DAY#2025-03-07"]["visitors"] == {"N": "6"}
    assert client.get("/v1/visitors/count").json() == {"count": 42}


def test_concurrent_visits_across_three_days_in_any_order_are_counted_exactly(
    table: Table,
) -> None:
    serial = Table(client=SerialClient(table.client), name=table.name, cursor_secret=b"x" * 32)
    days = [DAY_1 + timedelta(days=n) for n in range(3)]
    shuffled = random.Random(7)
    # Mostly in day order, as a clock gives them, with stragglers of earlier days mixed in,
    # and each visitor twice (the repeat must not count).
    visits = [(f"visitor-{n}", days[min(2, n // 40)]) for n in range(120)]
    for n in range(0, len(visits) - 1, 3):
        if shuffled.random() < 0.5:
            visits[n], visits[n + 1] = visits[n + 1], visits[n]
    visits += visits[::-1]

    with ThreadPoolExecutor(max_workers=16) as pool:
        counted = list(pool.map(lambda visit: _record(serial, *visit), visits))

    assert counted.count(True) == 120
    assert repository.visitors_per_day(table=table, days=days) == [40, 40, 40]
    assert repository.get_total(table=table, consistent=True) == 120


class _FailsAfterTheFirstTransaction:
    """The real client, until the request's first transaction has run: then `operation`
    fails with `error` (as a throttle that outlived botocore's retries)."""

    def __init__(self, client: Any, operation: str, error: Exception) -> None:
        self._client = client
        self._operation = operation
        self._error = error
        self.armed = False

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._client, name)
        if not callable(real) or name.startswith("_"):
            return real

        def call(**request: Any) -> Any:
            if self.armed and name == self._operation:
                raise self._error
            try:
                return real(**request)
            finally:
                self.armed = self.armed or name == "transact_write_items"

        return call


@pytest.mark.parametrize("operation", ["get_item", "transact_write_items"])
def test_a_throttled_day_change_is_503_and_writes_nothing(
    app: FastAPI, client: TestClient, clock: FixedClock, table: Table, operation: str
) -> None:
    _visit(client, FIREFOX)
    clock.advance(days=1)
    before = _without_salts(snapshot(table))
    error = dynamodb_error(table.client, "ProvisionedThroughputExceededException", operation)
    proxy = _FailsAfterTheFirstTransaction(table.client, operation, error)
    app.state.table = Table(client=proxy, name=table.name, cursor_secret=b"x" * 32)

    response = client.post("/v1/visitors/track", headers=browser(SAFARI))

    assert proxy.armed  # the first transaction ran: the fault hit the day change
    assert_error(response, 503)
    assert response.headers["Retry-After"]
    assert _without_salts(snapshot(table)) == before


def _without_salts(items: Snapshot) -> Snapshot:
    return {key: item for key, item in items.items() if key[0] != "SALT"}


def test_a_visit_of_the_old_day_counted_while_the_day_moves_is_kept(table: Table) -> None:
    # The move of day 1's count is conditioned on the count it read: a visit of day 1 counted
    # between that read and the move makes the move retry instead of overwriting it.
    repository.record_visit(table=table, visitor="x", day=DAY_1, expires_at=EXPIRES)
    transactions = 0

    def late_visit_of_day_1() -> None:
        nonlocal transactions
        transactions += 1
        if transactions == 2:  # day 2's first try was cancelled and the total was read
            repository.record_visit(table=table, visitor="z", day=DAY_1, expires_at=EXPIRES)

    racing = FailingProxy(table.client, race_on={"transact_write_items": late_visit_of_day_1})
    proxied = Table(client=racing, name=table.name, cursor_secret=b"x")

    assert repository.record_visit(table=proxied, visitor="y", day=DAY_2, expires_at=EXPIRES)

    assert repository.visitors_per_day(table=table, days=[DAY_1, DAY_2]) == [2, 1]
