"""Owner-only daily and monthly trends: one entry per day/month, zero-filled, oldest first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from tests.visitors.conftest import FIREFOX, SAFARI, browser
from tests.visitors.contract import assert_matches_contract, assert_matches_schema

DAILY = "/v1/visitors/trends/daily"
MONTHLY = "/v1/visitors/trends/monthly"


def _visit(client: TestClient, *agents: str) -> None:
    for agent in agents:
        assert client.post("/v1/visitors/track", headers=browser(agent)).status_code == 200


def test_daily_trends_default_to_30_zero_filled_days(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    response = client.get(DAILY, headers=owner_headers)
    assert response.status_code == 200
    trends = response.json()["trends"]
    assert len(trends) == 30
    assert trends[0] == {"date": "Feb 06", "visitors": 0}
    assert trends[-1] == {"date": "Mar 07", "visitors": 0}
    assert_matches_contract(response.json(), path="/visitors/trends/daily", method="get")


def test_daily_trends_count_distinct_visitors_per_day_with_gaps_as_zero(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    _visit(client, FIREFOX, SAFARI, FIREFOX)
    clock.advance(days=2)
    _visit(client, FIREFOX)
    response = client.get(f"{DAILY}?days=4", headers=owner_headers)
    assert response.json() == {
        "trends": [
            {"date": "Mar 06", "visitors": 0},
            {"date": "Mar 07", "visitors": 2},
            {"date": "Mar 08", "visitors": 0},
            {"date": "Mar 09", "visitors": 1},
        ]
    }


def test_monthly_trends_default_to_6_months_across_a_year_boundary(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    _visit(client, FIREFOX)
    clock.advance(days=30)  # 6 April
    _visit(client, FIREFOX, SAFARI)
    response = client.get(MONTHLY, headers=owner_headers)
    assert response.status_code == 200
    assert response.json() == {
        "trends": [
            {"month": "Nov", "visitors": 0},
            {"month": "Dec", "visitors": 0},
            {"month": "Jan", "visitors": 0},
            {"month": "Feb", "visitors": 0},
            {"month": "Mar", "visitors": 1},
            {"month": "Apr", "visitors": 2},
        ]
    }
    assert_matches_contract(response.json(), path="/visitors/trends/monthly", method="get")


def test_monthly_trends_of_one_month(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    _visit(client, FIREFOX)
    response = client.get(f"{MONTHLY}?months=1", headers=owner_headers)
    assert response.json() == {"trends": [{"month": "Mar", "visitors": 1}]}


def test_a_month_sums_its_days_up_to_its_last_day(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    clock.advance(days=24, hours=11, minutes=59)  # 31 March 23:59 UTC
    _visit(client, FIREFOX)
    clock.advance(days=1)  # 1 April: the same browser is a new visitor-day
    _visit(client, FIREFOX, SAFARI)
    clock.advance(days=29)  # 30 April 23:59
    _visit(client, SAFARI)
    clock.advance(days=1)  # 1 May: no visit yet
    response = client.get(f"{MONTHLY}?months=3", headers=owner_headers)
    assert response.json() == {
        "trends": [
            {"month": "Mar", "visitors": 1},
            {"month": "Apr", "visitors": 3},
            {"month": "May", "visitors": 0},
        ]
    }


def test_out_of_range_spans_are_400(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    for url in (
        f"{DAILY}?days=0",
        f"{DAILY}?days=91",
        f"{MONTHLY}?months=0",
        f"{MONTHLY}?months=13",
    ):
        response = client.get(url, headers=owner_headers)
        assert response.status_code == 400, url
        assert_matches_schema(response.json(), "Error")
    assert client.get(f"{DAILY}?days=90", headers=owner_headers).status_code == 200
    assert client.get(f"{MONTHLY}?months=12", headers=owner_headers).status_code == 200


def test_trends_are_401_for_anonymous_callers(client: TestClient, clock: FixedClock) -> None:
    for url in (DAILY, MONTHLY):
        response = client.get(url)
        assert response.status_code == 401
        assert_matches_contract(
            response.json(), path="/visitors/trends/daily", method="get", status=401
        )


def test_trends_are_403_for_signed_in_non_owners(
    client: TestClient, clock: FixedClock, non_owner_headers: dict[str, str]
) -> None:
    for url in (DAILY, MONTHLY):
        response = client.get(url, headers=non_owner_headers)
        assert response.status_code == 403
        assert_matches_contract(
            response.json(), path="/visitors/trends/daily", method="get", status=403
        )
