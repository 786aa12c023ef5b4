"""Errors a browser can read: every error answer of an allowed origin carries its CORS headers,
and a refused preflight answers in the contract's Error format."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.config import Settings
from portfolio_api.errors import INTERNAL_ERROR_MESSAGE
from portfolio_api.main import create_app
from tests.conftest import TEST_ORIGIN

RESUME_SITE = "https://jane-doe-resume.example"
ERROR_KEYS = {"error", "message", "statusCode", "details"}


def _explode() -> None:
    raise RuntimeError("a bug")


@pytest.fixture
def exploding_app(app: FastAPI) -> FastAPI:
    """The real app with one extra route that fails the way a bug does."""
    app.add_api_route("/v1/explode", _explode, methods=["GET"])
    return app


@pytest.fixture
def exploding_client(exploding_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(exploding_app, raise_server_exceptions=False) as client:
        yield client


def test_a_500_carries_cors_headers_and_the_request_id(exploding_client: TestClient) -> None:
    response = exploding_client.get("/v1/explode", headers={"Origin": TEST_ORIGIN})
    assert response.status_code == 500
    assert response.headers["access-control-allow-origin"] == TEST_ORIGIN
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    body = response.json()
    assert body["message"] == INTERNAL_ERROR_MESSAGE
    assert body["details"] == {"requestId": response.headers["x-request-id"]}


def test_a_500_is_logged_once_with_its_traceback_and_route(
    exploding_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="portfolio_api"):
        response = exploding_client.get("/v1/explode", headers={"x-request-id": "req-500"})
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert errors[0].requestId == "req-500"  # type: ignore[attr-defined]
    access = [r for r in caplog.records if r.name == "portfolio_api.access"]
    assert [(r.route, r.status) for r in access] == [("/v1/explode", 500)]  # type: ignore[attr-defined]
    assert response.headers["x-request-id"] == "req-500"


def test_a_413_carries_cors_headers(client: TestClient, settings: Settings) -> None:
    body = b'{"title": "' + b"x" * (settings.max_body_bytes + 1) + b'"}'
    response = client.post(
        "/v1/blog/posts",
        content=body,
        headers={"Origin": TEST_ORIGIN, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["access-control-allow-origin"] == TEST_ORIGIN
    assert set(response.json()) == ERROR_KEYS


def test_a_413_of_the_counter_carries_its_own_cors_headers(
    client: TestClient, settings: Settings
) -> None:
    response = client.post(
        "/v1/visitors/hit",
        content=b"x" * (settings.max_body_bytes + 1),
        headers={"Origin": RESUME_SITE, "Content-Type": "text/plain"},
    )
    assert response.status_code == 413
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("origin", "method", "reason"),
    [
        ("https://evil.example", "PUT", "origin"),
        (TEST_ORIGIN, "TRACE", "method"),
    ],
)
def test_a_refused_preflight_answers_in_the_error_format(
    client: TestClient, origin: str, method: str, reason: str
) -> None:
    response = client.options(
        "/v1/blog/posts/x", headers={"Origin": origin, "Access-Control-Request-Method": method}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["statusCode"] == 400
    assert body["message"] == f"CORS preflight refused: Disallowed CORS {reason}"


def test_a_refused_counter_preflight_answers_in_the_error_format(
    table: object, settings: Settings
) -> None:
    limited = settings.model_copy(update={"counter_cors_origins": [RESUME_SITE]})
    with TestClient(create_app(limited)) as client:
        refusals = [
            ("https://someone-else.example", "POST", "origin"),
            (RESUME_SITE, "DELETE", "method"),
        ]
        for origin, method, reason in refusals:
            response = client.options(
                "/v1/visitors/hit",
                headers={"Origin": origin, "Access-Control-Request-Method": method},
            )
            assert response.status_code == 400
            assert response.json()["message"] == f"CORS preflight refused: Disallowed CORS {reason}"


def test_the_counter_does_not_advertise_head(client: TestClient) -> None:
    # Only what resume pages send across origins; HEAD is served but not advertised.
    response = client.options(
        "/v1/visitors/badge.svg",
        headers={"Origin": RESUME_SITE, "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"


def test_a_cross_origin_counter_hit_is_logged_with_its_route(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="portfolio_api.access"):
        client.post("/v1/visitors/hit", headers={"Origin": RESUME_SITE})
        client.post("/v1/visitors/hit")
    access = [r for r in caplog.records if r.name == "portfolio_api.access"]
    assert [r.route for r in access] == ["/v1/visitors/hit"] * 2  # type: ignore[attr-defined]


def test_a_page_on_the_site_can_read_where_a_201_put_the_new_item(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    response = client.post(
        "/v1/tasks", json={"title": "Renew"}, headers={**owner_headers, "Origin": TEST_ORIGIN}
    )
    assert response.status_code == 201
    assert response.headers["location"] == f"/v1/tasks/{response.json()['id']}"
    assert response.headers["access-control-allow-origin"] == TEST_ORIGIN
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"location", "etag"} <= exposed
