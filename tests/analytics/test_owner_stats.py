"""Owner-only analytics: views per type, top content, total views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.db.table import Table
from tests.analytics.conftest import publish
from tests.visitors.conftest import browser
from tests.visitors.contract import assert_matches_contract, assert_matches_schema

OWNER_ROUTES = [
    "/v1/analytics/views/blog",
    "/v1/analytics/top-content",
    "/v1/analytics/total-views",
]


def _view(client: TestClient, table: Table, kind: str, item_id: str, viewers: int) -> None:
    publish(table, kind, item_id)
    for n in range(viewers):
        response = client.post(
            "/v1/analytics/track",
            json={"contentId": item_id, "contentType": kind},
            headers=browser(f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{n}.0"),
        )
        assert response.json()["tracked"] is True


@pytest.fixture
def viewed(client: TestClient, clock: FixedClock, table: Table) -> None:
    """Three posts, two projects and one certification with known view counts."""
    for kind, item_id, viewers in [
        ("blog", "post_a", 3),
        ("blog", "post_b", 5),
        ("blog", "post_c", 3),
        ("project", "proj_a", 2),
        ("project", "proj_b", 1),
        ("certification", "cert_a", 4),
    ]:
        _view(client, table, kind, item_id, viewers)


def test_views_per_type_map_ids_to_counts(
    client: TestClient, viewed: None, owner_headers: dict[str, str]
) -> None:
    response = client.get("/v1/analytics/views/blog", headers=owner_headers)
    assert response.status_code == 200
    assert response.json() == {
        "contentType": "blog",
        "stats": {"post_a": 3, "post_b": 5, "post_c": 3},
    }
    assert_matches_contract(response.json(), path="/analytics/views/{contentType}", method="get")


def test_views_per_type_include_published_and_scheduled_items_never_viewed(
    client: TestClient, viewed: None, clock: FixedClock, table: Table, owner_headers: dict[str, str]
) -> None:
    publish(table, "blog", "post_new")
    publish(table, "blog", "post_later", at=clock.now() + timedelta(days=3))
    response = client.get("/v1/analytics/views/blog", headers=owner_headers)
    assert response.json()["stats"] == {
        "post_a": 3,
        "post_b": 5,
        "post_c": 3,
        "post_new": 0,
        "post_later": 0,
    }
    assert_matches_contract(response.json(), path="/analytics/views/{contentType}", method="get")


def test_views_of_a_type_without_views_are_empty(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    response = client.get("/v1/analytics/views/certification", headers=owner_headers)
    assert response.json() == {"contentType": "certification", "stats": {}}


def test_an_unknown_type_is_400(client: TestClient, owner_headers: dict[str, str]) -> None:
    response = client.get("/v1/analytics/views/video", headers=owner_headers)
    assert response.status_code == 400
    assert_matches_schema(response.json(), "Error")


def test_top_content_is_most_viewed_first_per_type(
    client: TestClient, viewed: None, owner_headers: dict[str, str]
) -> None:
    response = client.get("/v1/analytics/top-content", headers=owner_headers)
    assert response.status_code == 200
    assert response.json() == {
        "blogs": [
            {"contentId": "post_b", "views": 5},
            {"contentId": "post_a", "views": 3},
            {"contentId": "post_c", "views": 3},
        ],
        "projects": [{"contentId": "proj_a", "views": 2}, {"contentId": "proj_b", "views": 1}],
        "certifications": [{"contentId": "cert_a", "views": 4}],
    }
    assert_matches_contract(response.json(), path="/analytics/top-content", method="get")


def test_top_content_honours_the_limit(
    client: TestClient, viewed: None, owner_headers: dict[str, str]
) -> None:
    response = client.get("/v1/analytics/top-content?limit=1", headers=owner_headers)
    assert [len(v) for v in response.json().values()] == [1, 1, 1]
    assert response.json()["blogs"] == [{"contentId": "post_b", "views": 5}]


@pytest.mark.parametrize("limit", [0, 21])
def test_top_content_limit_out_of_range_is_400(
    limit: int, client: TestClient, owner_headers: dict[str, str]
) -> None:
    response = client.get(f"/v1/analytics/top-content?limit={limit}", headers=owner_headers)
    assert response.status_code == 400


def test_total_views_sum_every_counted_view(
    client: TestClient, viewed: None, owner_headers: dict[str, str]
) -> None:
    response = client.get("/v1/analytics/total-views", headers=owner_headers)
    assert response.json() == {"totalViews": 18}
    assert_matches_contract(response.json(), path="/analytics/total-views", method="get")


@pytest.mark.parametrize("url", OWNER_ROUTES)
def test_owner_routes_are_401_for_anonymous_callers(url: str, client: TestClient) -> None:
    response = client.get(url)
    assert response.status_code == 401
    assert_matches_contract(
        response.json(), path="/analytics/total-views", method="get", status=401
    )


@pytest.mark.parametrize("url", OWNER_ROUTES)
def test_owner_routes_are_403_for_non_owners(
    url: str, client: TestClient, non_owner_headers: dict[str, str]
) -> None:
    response = client.get(url, headers=non_owner_headers)
    assert response.status_code == 403
    assert_matches_contract(
        response.json(), path="/analytics/total-views", method="get", status=403
    )
