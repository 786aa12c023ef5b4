"""The visitor counter through the real wiring and a moto table."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from portfolio_api.db import keys
from portfolio_api.db.table import Table


def test_count_is_zero_before_the_first_visit(client: TestClient) -> None:
    response = client.get("/v1/visitors/count")
    assert response.status_code == 200
    assert response.json() == {"count": 0}


def test_track_increments_and_returns_the_new_count(client: TestClient) -> None:
    first = client.post("/v1/visitors/track")
    second = client.post("/v1/visitors/track")
    assert first.status_code == 200
    assert first.json() == {"count": 1, "tracked": True}
    assert second.json() == {"count": 2, "tracked": True}
    assert client.get("/v1/visitors/count").json() == {"count": 2}


def test_counter_is_stored_under_its_key(client: TestClient, table: Table) -> None:
    client.post("/v1/visitors/track")
    assert table.get(keys.visitor_total()) == {"PK": "VISITORS", "SK": "TOTAL", "count": 1}


def test_fifty_concurrent_tracks_count_exactly_fifty(client: TestClient) -> None:
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(
            pool.map(lambda _: client.post("/v1/visitors/track").status_code, range(50))
        )
    assert statuses == [200] * 50
    assert client.get("/v1/visitors/count").json() == {"count": 50}
