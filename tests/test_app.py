"""The app's shape: health, the /v1 prefix, CORS, structured request logs."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from portfolio_api.auth.dependencies import optional_owner, owner_session
from portfolio_api.config import Settings
from portfolio_api.main import create_app
from portfolio_api.routers import include_all
from tests.conftest import TEST_ORIGIN


def test_health_is_outside_v1_and_touches_nothing(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["environment"] == "test"


def test_every_api_route_lives_under_v1(client: TestClient) -> None:
    paths = list(client.app.openapi()["paths"])  # type: ignore[attr-defined]
    api_paths = [p for p in paths if p != "/health"]
    assert "/v1/visitors/count" in api_paths
    assert all(p.startswith("/v1/") for p in api_paths), api_paths


def test_cors_preflight_from_an_allowed_origin(client: TestClient) -> None:
    response = client.options(
        "/v1/visitors/track",
        headers={
            "Origin": TEST_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == TEST_ORIGIN
    assert "access-control-allow-credentials" not in response.headers


def test_cors_refuses_an_unknown_origin(client: TestClient) -> None:
    response = client.options(
        "/v1/visitors/track",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_one_structured_log_line_per_request(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="portfolio_api.access"):
        response = client.get("/v1/visitors/count", headers={"x-request-id": "abc-1"})
    records = [r for r in caplog.records if r.name == "portfolio_api.access"]
    assert len(records) == 1
    record = records[0]
    assert record.requestId == "abc-1"  # type: ignore[attr-defined]
    assert record.method == "GET"  # type: ignore[attr-defined]
    assert record.route == "/v1/visitors/count"  # type: ignore[attr-defined]
    assert record.status == response.status_code == 200  # type: ignore[attr-defined]
    assert record.latencyMs >= 0  # type: ignore[attr-defined]


def test_log_lines_are_json(caplog: pytest.LogCaptureFixture) -> None:
    from portfolio_api.observability import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "portfolio_api.access", "levelname": "INFO", "msg": "request", "status": 201}
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request"
    assert line["status"] == 201
    assert line["level"] == "INFO"


def test_log_level_setting_is_respected(
    settings: Settings, table: object, caplog: pytest.LogCaptureFixture
) -> None:
    quiet = create_app(settings.model_copy(update={"log_level": "WARNING"}))
    with caplog.at_level(logging.NOTSET), TestClient(quiet) as client:
        client.get("/health")
    assert not [r for r in caplog.records if r.name == "portfolio_api.access"]
    assert logging.getLogger("portfolio_api").level == logging.WARNING


@pytest.mark.parametrize(
    "path", ["/health", "/v1/visitors/count", "/v1/visitors/badge.svg", "/v1/nothing-here"]
)
def test_every_response_forbids_content_sniffing_once(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]


def test_no_route_that_takes_an_optional_token_declares_a_401() -> None:
    # OptionalOwner reads a token that proves nothing as anonymous: such a route never
    # answers 401, so a declared one misleads generated clients into a login loop. The
    # content lists are the exception: asked for drafts, they refuse a stale token with 401.
    app = include_all(create_app(Settings(docs_enabled=True)))
    operations = app.openapi()["paths"]
    optional = []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        calls, pending = set(), [context.dependant]
        while pending:
            dependant = pending.pop()
            calls.add(dependant.call)
            pending.extend(dependant.dependencies)
        if optional_owner in calls and owner_session not in calls:
            for method in sorted(context.methods or ()):
                optional.append((method.lower(), str(context.path_format)))
    assert ("get", "/v1/blog/posts/{postId}") in optional  # the walk finds them
    declared = [f"{m.upper()} {p}" for m, p in optional if "401" in operations[p][m]["responses"]]
    assert sorted(declared) == ["GET /v1/blog/posts", "GET /v1/certifications", "GET /v1/projects"]
