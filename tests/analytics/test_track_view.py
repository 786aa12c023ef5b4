"""POST /v1/analytics/track and GET /v1/analytics/views/{type}/{id}: public content only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.db import keys
from portfolio_api.db.table import Expression, Table
from tests.analytics.conftest import publish
from tests.visitors.conftest import FIREFOX, SAFARI, START, browser
from tests.visitors.contract import assert_matches_contract, assert_matches_schema

TRACK = "/v1/analytics/track"
BOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"


def _track(client: TestClient, kind: str, item_id: str, agent: str = FIREFOX) -> httpx.Response:
    return client.post(
        TRACK, json={"contentId": item_id, "contentType": kind}, headers=browser(agent)
    )


def _stored(table: Table) -> list[str]:
    """Every stored key but the day's salt (one per day whatever is tracked). Scan is fine in
    a test that inspects everything stored."""
    items = table.client.scan(TableName=table.name)["Items"]
    return sorted(f"{i['PK']['S']}|{i['SK']['S']}" for i in items if i["PK"]["S"] != "SALT")


def test_first_view_of_a_published_item_is_counted(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "post_1")
    response = _track(client, "blog", "post_1")
    assert response.status_code == 200
    assert response.json() == {"views": 1, "tracked": True}
    assert_matches_contract(response.json(), path="/analytics/track", method="post")


def test_a_repeat_view_the_same_day_is_not_counted(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "post_1")
    _track(client, "blog", "post_1")
    assert _track(client, "blog", "post_1").json() == {"views": 1, "tracked": False}
    assert _track(client, "blog", "post_1", SAFARI).json() == {"views": 2, "tracked": True}


def test_the_same_visitor_counts_again_the_next_day(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "project", "proj_1")
    _track(client, "project", "proj_1")
    clock.advance(days=1)
    assert _track(client, "project", "proj_1").json() == {"views": 2, "tracked": True}


def test_views_are_de_duplicated_per_item(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "post_1")
    publish(table, "blog", "post_2")
    _track(client, "blog", "post_1")
    assert _track(client, "blog", "post_2").json() == {"views": 1, "tracked": True}


@pytest.mark.parametrize("kind", ["blog", "project", "certification"])
def test_unknown_content_is_404_and_writes_nothing(
    kind: str, client: TestClient, clock: FixedClock, table: Table
) -> None:
    before = _stored(table)
    response = _track(client, kind, "never_existed")
    assert response.status_code == 404
    assert_matches_schema(response.json(), "Error")
    assert _stored(table) == before


def test_an_item_of_another_type_is_not_found(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "shared_id")
    assert _track(client, "project", "shared_id").status_code == 404


def test_scheduled_content_is_404_until_its_publication_time(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "post_later", at=START + timedelta(hours=1))
    before = _stored(table)
    assert _track(client, "blog", "post_later").status_code == 404
    assert client.get("/v1/analytics/views/blog/post_later").status_code == 404
    assert _stored(table) == before
    clock.advance(hours=1)
    assert _track(client, "blog", "post_later").json() == {"views": 1, "tracked": True}


def test_a_robot_view_is_answered_but_not_counted(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "post_1")
    response = _track(client, "blog", "post_1", BOT)
    assert response.status_code == 200
    assert response.json() == {"views": 0, "tracked": False}
    assert _track(client, "blog", "unknown", BOT).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"contentId": "post_1"},
        {"contentType": "blog"},
        {"contentId": "post_1", "contentType": "video"},
        {"contentId": "a#b", "contentType": "blog"},
        {"contentId": "", "contentType": "blog"},
        {"contentId": "x" * 129, "contentType": "blog"},
    ],
)
def test_invalid_bodies_are_400(
    body: dict[str, str], client: TestClient, clock: FixedClock
) -> None:
    response = client.post(TRACK, json=body, headers=browser())
    assert response.status_code == 400
    assert_matches_contract(response.json(), path="/analytics/track", method="post", status=400)


def test_view_count_of_a_public_item(client: TestClient, clock: FixedClock, table: Table) -> None:
    publish(table, "certification", "cert_1")
    _track(client, "certification", "cert_1")
    response = client.get("/v1/analytics/views/certification/cert_1")
    assert response.status_code == 200
    assert response.json() == {"contentId": "cert_1", "contentType": "certification", "views": 1}
    path = "/analytics/views/{contentType}/{contentId}"
    assert_matches_contract(response.json(), path=path, method="get")


def test_view_count_of_a_public_item_never_viewed_is_zero(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "post_1")
    assert client.get("/v1/analytics/views/blog/post_1").json()["views"] == 0


@pytest.mark.parametrize("item_id", ["unknown", "a%23b", "x" * 300])
def test_view_count_of_unknown_content_is_404(
    item_id: str, client: TestClient, clock: FixedClock
) -> None:
    response = client.get(f"/v1/analytics/views/blog/{item_id}")
    assert response.status_code in (404, 400)
    assert_matches_schema(response.json(), "Error")
    if len(item_id) < 200:
        assert response.status_code == 404
        path = "/analytics/views/{contentType}/{contentId}"
        assert_matches_contract(response.json(), path=path, method="get", status=404)


def test_the_counters_are_stored_under_their_keys(
    client: TestClient, clock: FixedClock, table: Table
) -> None:
    publish(table, "blog", "post_1")
    _track(client, "blog", "post_1")
    # The view is counted on the item's publication marker: a view writes two items (its
    # de-dup marker and this one), and nothing else holds views.
    marker = table.get(keys.content_publication("blog", "post_1"))
    assert marker == {
        "PK": "PUB#blog",
        "SK": "post_1",
        "publishAt": "2025-03-06T12:00:00.000Z",
        "views": 1,
    }
    assert _partition(table, "VIEWS#blog") == []  # the counters of earlier releases
    assert _partition(table, "VIEWS") == []  # no global counter: totals sum the items'


def _partition(table: Table, pk: str) -> list[dict[str, Any]]:
    return table.query(key_condition="PK = :pk", expr=Expression(values={":pk": pk})).items
