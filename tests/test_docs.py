"""The API docs work offline (assets from the package) and behind a stage base path."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from portfolio_api.config import Settings
from portfolio_api.main import create_app

EXTERNAL_URL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


@pytest.fixture
def staged_client(settings: Settings) -> Iterator[TestClient]:
    """The app deployed on an API Gateway stage named `prod`."""
    app = create_app(settings.model_copy(update={"api_base_path": "/prod"}))
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_cannot_be_framed_or_leak_their_url(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_no_external_asset(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert not EXTERNAL_URL.search(response.text), "docs must not load assets from a CDN"


@pytest.mark.parametrize(
    ("asset", "media_type"),
    [
        ("swagger-ui-bundle.js", "application/javascript"),
        ("swagger-ui.css", "text/css"),
        ("redoc.standalone.js", "application/javascript"),
        ("favicon.png", "image/png"),
    ],
)
def test_every_referenced_asset_is_served(client: TestClient, asset: str, media_type: str) -> None:
    response = client.get(f"/docs/assets/{asset}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert len(response.content) > 1000
    assert "max-age" in response.headers["cache-control"]


def test_unknown_asset_is_404_in_error_format(client: TestClient) -> None:
    response = client.get("/docs/assets/..%2Fsecrets")
    assert response.status_code == 404
    assert response.json()["statusCode"] == 404


def test_docs_behind_a_stage_reference_the_stage_path(staged_client: TestClient) -> None:
    # Mangum strips the stage from the path before the app sees it (tests/test_lambda_handler.py
    # covers that); the app must still put it back into every URL it generates.
    page = staged_client.get("/docs").text
    assert "'/prod/openapi.json'" in page or '"/prod/openapi.json"' in page
    assert "/prod/docs/assets/swagger-ui-bundle.js" in page
    spec = staged_client.get("/openapi.json").json()
    assert spec["servers"] == [{"url": "/prod"}]
    assert staged_client.get("/docs/assets/swagger-ui.css").status_code == 200


def test_docs_can_be_switched_off(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"docs_enabled": False}))
    with TestClient(app) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/assets/swagger-ui.css"):
            assert client.get(path).status_code == 404, path


def _http_api_event(raw_path: str, stage: str) -> dict[str, object]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": "",
        "headers": {"host": "abc123.execute-api.us-east-1.amazonaws.com"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "http": {
                "method": "GET",
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "test",
            },
            "requestId": "r1",
            "stage": stage,
            "timeEpoch": 0,
        },
        "isBase64Encoded": False,
    }


def test_docs_through_the_lambda_handler_on_a_named_stage(settings: Settings) -> None:
    from mangum import Mangum

    handler = Mangum(
        create_app(settings.model_copy(update={"api_base_path": "/prod"})),
        lifespan="off",
        api_gateway_base_path="/prod",
    )
    context = type("Context", (), {"aws_request_id": "lambda-req-1"})()
    page = handler(_http_api_event("/prod/docs", "prod"), context)
    assert page["statusCode"] == 200
    assert "/prod/openapi.json" in page["body"]
    spec = handler(_http_api_event("/prod/openapi.json", "prod"), context)
    assert spec["statusCode"] == 200
    assert '"servers":[{"url":"/prod"}]' in spec["body"].replace(" ", "")
    asset = handler(_http_api_event("/prod/docs/assets/swagger-ui-bundle.js", "prod"), context)
    assert asset["statusCode"] == 200


def test_openapi_errors_use_the_contracts_error_component_and_no_422(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert set(schemas["Error"]["required"]) == {"error", "message", "statusCode"}
    assert "HTTPValidationError" not in schemas
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "422" not in responses, f"{method.upper()} {path}"
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, f"{method.upper()} {path}"
