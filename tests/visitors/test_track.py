"""POST /v1/visitors/track and GET /v1/visitors/count: one count per visitor and UTC day."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.db import keys
from portfolio_api.db.table import Expression, Table
from tests.visitors.conftest import FIREFOX, SAFARI, START, browser
from tests.visitors.contract import assert_matches_contract


def _all_items(table: Table) -> list[dict[str, object]]:
    # Scan is fine in a test that inspects everything stored.
    return list(table.client.scan(TableName=table.name)["Items"])


def test_count_is_zero_before_the_first_visit(client: TestClient) -> None:
    response = client.get("/v1/visitors/count")
    assert response.status_code == 200
    assert response.json() == {"count": 0}
    assert_matches_contract(response.json(), path="/visitors/count", method="get")


def test_first_visit_of_the_day_is_counted(client: TestClient, clock: FixedClock) -> None:
    response = client.post("/v1/visitors/track", headers=browser())
    assert response.status_code == 200
    assert response.json() == {"count": 1, "tracked": True}
    assert_matches_contract(response.json(), path="/visitors/track", method="post")


def test_repeat_visit_on_the_same_day_is_not_counted(client: TestClient, clock: FixedClock) -> None:
    client.post("/v1/visitors/track", headers=browser())
    clock.advance(hours=11, minutes=59)
    repeat = client.post("/v1/visitors/track", headers=browser())
    assert repeat.json() == {"count": 1, "tracked": False}
    assert client.get("/v1/visitors/count").json() == {"count": 1}


def test_another_browser_on_the_same_address_is_another_visitor(
    client: TestClient, clock: FixedClock
) -> None:
    client.post("/v1/visitors/track", headers=browser(FIREFOX))
    other = client.post("/v1/visitors/track", headers=browser(SAFARI))
    assert other.json() == {"count": 2, "tracked": True}


def test_the_same_visitor_is_counted_again_the_next_utc_day(
    client: TestClient, clock: FixedClock
) -> None:
    client.post("/v1/visitors/track", headers=browser())
    clock.advance(hours=12)  # midnight UTC
    next_day = client.post("/v1/visitors/track", headers=browser())
    assert next_day.json() == {"count": 2, "tracked": True}


def test_identifiers_of_two_days_cannot_be_linked(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    client.post("/v1/visitors/track", headers=browser())
    clock.advance(days=1)
    client.post("/v1/visitors/track", headers=browser())
    markers = [i for i in _all_items(table) if i["PK"]["S"].startswith("SEEN#")]  # type: ignore[index]
    salts = [i for i in _all_items(table) if i["PK"]["S"] == "SALT"]  # type: ignore[index]
    assert len(markers) == 2
    assert markers[0]["PK"] != markers[1]["PK"]
    assert len(salts) == 2
    assert salts[0]["salt"] != salts[1]["salt"]


def test_markers_and_salts_expire(client: TestClient, clock: FixedClock, table: Table) -> None:
    client.post("/v1/visitors/track", headers=browser())
    items = _all_items(table)
    marker = next(i for i in items if i["SK"]["S"].startswith("VISIT#"))  # type: ignore[index]
    salt = next(i for i in items if i["PK"]["S"] == "SALT")  # type: ignore[index]
    midnight = int(START.replace(hour=0).timestamp()) + 86_400
    assert marker["expiresAt"] == {"N": str(midnight)}
    assert salt["expiresAt"] == {"N": str(midnight + 86_400)}


def test_the_client_address_is_never_stored_or_logged(
    client: TestClient, clock: FixedClock, table: Table, caplog: pytest.LogCaptureFixture
) -> None:
    address = "198.51.100.77"
    with caplog.at_level(logging.DEBUG):
        for _ in range(2):
            client.post("/v1/visitors/track", headers={**browser(), "X-Forwarded-For": address})
    stored = repr(_all_items(table))
    assert address not in stored
    assert "testclient" not in stored  # the socket address TestClient reports
    assert address not in caplog.text
    assert all(address not in repr(vars(record)) for record in caplog.records)


def test_the_counter_is_stored_under_its_key(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    client.post("/v1/visitors/track", headers=browser())
    # The total carries today's count: a visit writes two items (marker, total), not three.
    assert table.get(keys.visitor_total()) == {
        "PK": "VISITORS",
        "SK": "TOTAL",
        "count": 1,
        "day": "2025-03-07",
        "dayVisitors": 1,
    }
    # Nothing else in the partition until a later day moves today's count to its own item;
    # a month's visitors are the sum of its days.
    assert {item["SK"] for item in _partition(table, "VISITORS")} == {"TOTAL"}


def test_counter_routes_are_public(client: TestClient, clock: FixedClock) -> None:
    assert client.post("/v1/visitors/track", headers=browser()).status_code == 200
    assert client.get("/v1/visitors/count").status_code == 200


def _partition(table: Table, pk: str) -> list[dict[str, Any]]:
    return table.query(key_condition="PK = :pk", expr=Expression(values={":pk": pk})).items
