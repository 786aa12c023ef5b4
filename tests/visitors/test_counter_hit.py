"""The Cloud Resume Challenge counter: callable by `fetch` from a page on any origin.

`browser_fetch` plays the browser's part of CORS: a preflight for a non-simple request, then
the request, and the check that decides whether the page may read the answer.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.db.table import Table
from portfolio_api.main import create_app
from tests.conftest import TEST_ORIGIN
from tests.visitors.conftest import FIREFOX, SAFARI

HIT = "/v1/visitors/hit"
RESUME_SITE = "https://jane-doe-resume.example"
SAFELISTED_HEADERS = {"accept", "accept-language", "content-language", "content-type"}
SIMPLE_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}


class CorsBlocked(AssertionError):
    """The browser would refuse to let the page read the response."""


def _is_simple(method: str, headers: dict[str, str]) -> bool:
    if method not in ("GET", "HEAD", "POST"):
        return False
    for name, value in headers.items():
        if name.lower() not in SAFELISTED_HEADERS:
            return False
        if name.lower() == "content-type" and value.split(";")[0].strip() not in (
            SIMPLE_CONTENT_TYPES
        ):
            return False
    return True


def _origin_allowed(response: httpx.Response, origin: str) -> bool:
    return response.headers.get("access-control-allow-origin") in ("*", origin)


def browser_fetch(
    client: TestClient,
    url: str,
    *,
    origin: str,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> httpx.Response:
    """`fetch(url, {method, headers, body})` from a page on `origin`, as a browser runs it."""
    headers = {"User-Agent": FIREFOX, **(headers or {})}
    page_headers = {k: v for k, v in headers.items() if k.lower() != "user-agent"}
    if not _is_simple(method, page_headers):
        requested = sorted(
            k.lower()
            for k, v in page_headers.items()
            if k.lower() not in SAFELISTED_HEADERS or not _is_simple("POST", {k: v})
        )
        preflight_headers = {
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "User-Agent": FIREFOX,
        }
        if requested:
            preflight_headers["Access-Control-Request-Headers"] = ",".join(requested)
        preflight = client.options(url, headers=preflight_headers)
        if not (200 <= preflight.status_code < 300 and _origin_allowed(preflight, origin)):
            raise CorsBlocked(f"preflight refused: {preflight.status_code}")
        methods = preflight.headers.get("access-control-allow-methods", "")
        allowed_headers = {
            h.strip().lower()
            for h in preflight.headers.get("access-control-allow-headers", "").split(",")
        }
        if method not in methods and method not in ("GET", "HEAD", "POST"):
            raise CorsBlocked(f"method {method} not allowed")
        if not ("*" in allowed_headers or allowed_headers.issuperset(requested)):
            raise CorsBlocked(f"headers {requested} not allowed: {allowed_headers!r}")
    response = client.request(method, url, headers={"Origin": origin, **headers}, content=body)
    if not _origin_allowed(response, origin):
        raise CorsBlocked("response carries no matching Access-Control-Allow-Origin")
    return response


def test_post_without_body_counts_and_answers_every_reading(
    client: TestClient, clock: FixedClock
) -> None:
    response = browser_fetch(client, HIT, origin=RESUME_SITE)
    data = response.json()
    # data.count, data.visits and data.body: the three readings found on resume sites.
    assert (data["count"], data["visits"], data["body"]) == (1, 1, 1)
    assert data["tracked"] is True
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "no-store"


def test_post_with_a_json_body_passes_the_preflight_and_counts(
    client: TestClient, clock: FixedClock
) -> None:
    response = browser_fetch(
        client,
        HIT,
        origin=RESUME_SITE,
        headers={"Content-Type": "application/json"},
        body='{"page": "/index.html"}',
    )
    assert response.json()["count"] == 1
    assert response.json()["visits"] == 1
    assert response.json()["body"] == 1


def test_the_preflight_answers_for_a_foreign_origin(client: TestClient) -> None:
    response = client.options(
        HIT,
        headers={
            "Origin": RESUME_SITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "content-type"
    assert "access-control-allow-credentials" not in response.headers


def test_pages_that_send_odd_headers_still_pass_the_preflight(
    client: TestClient, clock: FixedClock
) -> None:
    # A common resume-site mistake: sending a response header as a request header.
    response = browser_fetch(
        client,
        HIT,
        origin=RESUME_SITE,
        headers={"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
        body="{}",
    )
    assert response.json()["count"] == 1


def test_a_repeat_hit_the_same_day_is_not_counted(client: TestClient, clock: FixedClock) -> None:
    browser_fetch(client, HIT, origin=RESUME_SITE)
    again = browser_fetch(client, HIT, origin=RESUME_SITE)
    assert again.json() == {"count": 1, "visits": 1, "body": 1, "tracked": False}


def test_hits_and_tracks_share_one_counter(client: TestClient, clock: FixedClock) -> None:
    client.post("/v1/visitors/track", headers={"User-Agent": SAFARI})
    assert browser_fetch(client, HIT, origin=RESUME_SITE).json()["count"] == 2


def test_owner_routes_stay_closed_to_foreign_origins(client: TestClient) -> None:
    with pytest.raises(CorsBlocked):
        browser_fetch(
            client,
            "/v1/visitors/trends/daily",
            origin=RESUME_SITE,
            method="GET",
            headers={"Authorization": "Bearer x"},
        )
    with pytest.raises(CorsBlocked):
        browser_fetch(
            client,
            "/v1/visitors/track",
            origin=RESUME_SITE,
            headers={"Content-Type": "application/json"},
            body="{}",
        )


def test_the_site_origin_keeps_its_own_cors_on_other_routes(
    client: TestClient, clock: FixedClock
) -> None:
    response = browser_fetch(
        client,
        "/v1/visitors/track",
        origin=TEST_ORIGIN,
        headers={"Content-Type": "application/json"},
        body="{}",
    )
    assert response.headers["access-control-allow-origin"] == TEST_ORIGIN


def test_a_configured_origin_list_limits_the_counter(table: Table, settings: Settings) -> None:
    limited = settings.model_copy(update={"counter_cors_origins": [RESUME_SITE]})
    with TestClient(create_app(limited)) as client:
        allowed = browser_fetch(
            client, HIT, origin=RESUME_SITE, headers={"Content-Type": "application/json"}, body="{}"
        )
        assert allowed.headers["access-control-allow-origin"] == RESUME_SITE
        assert "origin" in allowed.headers["vary"].lower()
        with pytest.raises(CorsBlocked):
            browser_fetch(client, HIT, origin="https://someone-else.example")


def test_counter_origins_are_read_from_a_comma_separated_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COUNTER_CORS_ORIGINS", "https://a.example, https://b.example/")
    assert Settings().counter_cors_origins == ["https://a.example", "https://b.example"]
    monkeypatch.delenv("COUNTER_CORS_ORIGINS")
    assert Settings().counter_cors_origins == ["*"]


# GET: pages that call `fetch(url)` with no method (the reference's counters count on GET).


def test_a_plain_fetch_get_counts_and_answers_every_reading(
    client: TestClient, clock: FixedClock
) -> None:
    response = browser_fetch(client, HIT, origin=RESUME_SITE, method="GET")
    assert response.status_code == 200
    assert response.json() == {"count": 1, "visits": 1, "body": 1, "tracked": True}
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "no-store"
    assert client.get("/v1/visitors/count").json() == {"count": 1}


def test_a_get_with_a_custom_header_passes_the_preflight(
    client: TestClient, clock: FixedClock
) -> None:
    response = browser_fetch(
        client, HIT, origin=RESUME_SITE, method="GET", headers={"X-Requested-With": "fetch"}
    )
    assert response.json()["count"] == 1


def test_get_and_post_hits_share_the_daily_de_dup(client: TestClient, clock: FixedClock) -> None:
    browser_fetch(client, HIT, origin=RESUME_SITE, method="GET")
    assert browser_fetch(client, HIT, origin=RESUME_SITE, method="GET").json()["tracked"] is False
    again = browser_fetch(client, HIT, origin=RESUME_SITE)
    assert again.json() == {"count": 1, "visits": 1, "body": 1, "tracked": False}
    clock.advance(hours=12)  # midnight UTC
    assert browser_fetch(client, HIT, origin=RESUME_SITE, method="GET").json()["count"] == 2


def test_a_robot_get_is_answered_but_not_counted(client: TestClient, clock: FixedClock) -> None:
    robot = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"}
    response = client.get(HIT, headers=robot)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "visits": 0, "body": 0, "tracked": False}


def test_head_on_the_counter_counts_nothing(client: TestClient, clock: FixedClock) -> None:
    # Uptime monitors and link checkers send HEAD; serving it as the GET would count them.
    response = client.head(HIT, headers={"User-Agent": FIREFOX, "Origin": RESUME_SITE})
    assert response.status_code == 405
    assert client.get("/v1/visitors/count").json() == {"count": 0}
    assert browser_fetch(client, HIT, origin=RESUME_SITE, method="GET").json()["tracked"] is True


def test_head_still_answers_on_the_badge(client: TestClient) -> None:
    response = client.head("/v1/visitors/badge.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
