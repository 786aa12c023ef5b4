"""Every error leaves the app in the contract's Error body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from portfolio_api.config import Settings
from portfolio_api.errors import Conflict, ServiceUnavailable
from portfolio_api.main import create_app
from tests.test_route_parity import gateway_operations

ERROR_KEYS = {"error", "message", "statusCode", "details"}


class _Body(BaseModel):
    title: str = Field(min_length=1)
    count: int


@pytest.fixture
def probe_client(settings: Settings) -> Iterator[TestClient]:
    """The real app plus a few routes that fail in each way a route can."""
    app: FastAPI = create_app(settings)

    @app.get("/probe/boom")
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    @app.get("/probe/conflict")
    def conflict() -> None:
        raise Conflict("Slug already taken", details={"field": "slug"})

    @app.get("/probe/busy")
    def busy() -> None:
        raise ServiceUnavailable("The database is busy; retry shortly", retry_after=2)

    @app.post("/probe/body")
    def body(payload: _Body, limit: int = Query(ge=1, le=10)) -> dict[str, str]:
        return {"title": payload.title}

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_unknown_route_is_404_in_error_format(probe_client: TestClient) -> None:
    response = probe_client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {
        "error": "Not Found",
        "message": "No route matches GET /v1/nothing-here",
        "statusCode": 404,
        "details": None,
    }


def test_wrong_method_is_405_in_error_format(probe_client: TestClient) -> None:
    response = probe_client.delete("/health")
    assert response.status_code == 405
    assert response.json()["error"] == "Method Not Allowed"
    assert set(response.json()) == ERROR_KEYS


ALLOWED = [
    ("OPTIONS", "/v1/tasks", "GET, POST"),  # owner-only: the gateway routes no HEAD there
    ("DELETE", "/v1/resume", "GET, HEAD, PATCH, PUT"),
    ("PATCH", "/v1/blog/posts/post_0", "DELETE, GET, HEAD, PUT"),
    ("PUT", "/v1/visitors/hit", "GET, POST"),  # its GET counts: HEAD is not served there
    ("DELETE", "/health", "GET, HEAD"),
]


@pytest.mark.parametrize(("method", "path", "allow"), ALLOWED)
def test_a_405_names_every_method_of_the_path_in_allow(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


@pytest.mark.parametrize(("method", "path", "allow"), ALLOWED)
def test_every_method_a_405_allows_is_served(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    for allowed in allow.split(", "):
        assert client.request(allowed, path).status_code != 405, allowed


def test_a_405_allows_head_exactly_where_the_gateway_routes_it(
    client: TestClient, template: dict[str, Any]
) -> None:
    operations = gateway_operations(template)
    gets = sorted(path for method, path in operations if method == "GET")
    for path in gets:
        response = client.request("TRACE", re.sub(r"\{[^}]+\}", "x", path))
        if response.status_code == 404 and not path.startswith("/v1/"):
            continue  # the docs pages, off in these settings
        assert response.status_code == 405, path
        allowed = response.headers["allow"].split(", ")
        assert ("HEAD" in allowed) == (("HEAD", path) in operations), path


def test_validation_failure_is_400_with_the_offending_fields(probe_client: TestClient) -> None:
    response = probe_client.post("/probe/body?limit=99", json={"title": "", "count": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Bad Request"
    assert body["statusCode"] == 400
    fields = {entry["field"] for entry in body["details"]["fields"]}
    assert fields == {"body.title", "body.count", "query.limit"}


@pytest.mark.parametrize(
    ("url", "payload", "field", "issue"),
    [
        ("/probe/body?limit=1", {"count": 1}, "title", "Field required"),
        ("/probe/body?limit=99", {"title": "t", "count": 1}, "limit", "less than or equal to 10"),
        ("/probe/body?limit=1", None, "body", "Field required"),
    ],
)
def test_a_validation_failure_names_its_first_field_and_issue_as_the_contract_does(
    probe_client: TestClient, url: str, payload: object, field: str, issue: str
) -> None:
    response = probe_client.post(url, json=payload)
    assert response.status_code == 400
    details = response.json()["details"]
    assert details["field"] == field
    assert issue in details["issue"]
    assert details["issue"] == details["fields"][0]["message"]


def test_malformed_json_is_400(probe_client: TestClient) -> None:
    response = probe_client.post(
        "/probe/body?limit=1", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS


def test_unexpected_exception_is_500_without_internals(probe_client: TestClient) -> None:
    response = probe_client.get("/probe/boom", headers={"x-request-id": "req-123"})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "Internal Server Error"
    assert body["details"] == {"requestId": "req-123"}
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["x-request-id"] == "req-123"


def test_app_errors_map_to_their_status_and_details(probe_client: TestClient) -> None:
    response = probe_client.get("/probe/conflict")
    assert response.status_code == 409
    assert response.json() == {
        "error": "Conflict",
        "message": "Slug already taken",
        "statusCode": 409,
        "details": {"field": "slug"},
    }


def test_service_unavailable_carries_retry_after(probe_client: TestClient) -> None:
    response = probe_client.get("/probe/busy")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json()["error"] == "Service Unavailable"


def test_every_response_carries_a_request_id(probe_client: TestClient) -> None:
    first = probe_client.get("/health").headers["x-request-id"]
    second = probe_client.get("/health").headers["x-request-id"]
    assert first
    assert second
    assert first != second


def test_an_unsafe_client_request_id_is_replaced(probe_client: TestClient) -> None:
    response = probe_client.get("/health", headers={"x-request-id": "bad id\nwith newline"})
    assert response.headers["x-request-id"] != "bad id\nwith newline"
    assert len(response.headers["x-request-id"]) == 32
