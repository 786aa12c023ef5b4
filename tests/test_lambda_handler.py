"""The Lambda entry point, driven by the API Gateway events in `events/` (moto behind it)."""

from __future__ import annotations

import base64
import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mangum import Mangum

from portfolio_api import main
from portfolio_api.config import Settings
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from portfolio_api.main import create_app

EVENTS = Path(__file__).resolve().parent.parent / "events"


@dataclass(frozen=True)
class FakeLambdaContext:
    """The attributes of the Lambda context object that the app reads or logs."""

    aws_request_id: str = "0d4f6a9e-3b7c-4e21-9a55-1c2b3d4e5f60"
    function_name: str = "portfolio-api-test-api"
    memory_limit_in_mb: int = 1024

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def lambda_handler(settings: Settings) -> Mangum:
    """The handler `main` builds, for the test's settings instead of the environment's."""
    return main.create_handler(create_app(settings, one_request_at_a_time=True))


def staged_event(stage: str, path: str) -> dict[str, Any]:
    """An HTTP API event of a GET of `path` on the named `stage` (the path under `/<stage>`)."""
    event = load_event("http-api-prod-stage-visitors-count.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/{stage}{path}"
    event["routeKey"] = event["requestContext"]["routeKey"] = f"GET {path}"
    event["requestContext"]["stage"] = stage
    return event


def test_module_handler_is_mangum_without_lifespan() -> None:
    assert isinstance(main.handler, Mangum)
    assert main.handler.lifespan == "off"
    assert main.handler.app is main.app


def test_importing_the_handler_freezes_what_the_import_built() -> None:
    # Otherwise the first full collection, in the first request, walks all of it again.
    code = "import gc, portfolio_api.main; print(gc.get_freeze_count())"
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert int(result.stdout) > 10_000


def test_module_handler_strips_the_base_path_of_the_environment_settings() -> None:
    expected = main.app.state.settings.api_base_path or "/"
    assert main.handler.config["api_gateway_base_path"] == expected


def test_module_handler_answers_the_health_event() -> None:
    context = FakeLambdaContext()
    response = main.handler(load_event("http-api-health.json"), context)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {
        "status": "ok",
        "version": main.__version__,
        "environment": main.app.state.settings.environment,
    }


def test_http_api_event_on_default_stage_returns_the_count(
    table: Table, settings: Settings
) -> None:
    table.put({**keys.visitor_total(), "count": 2})
    response = lambda_handler(settings)(
        load_event("http-api-visitors-count.json"), FakeLambdaContext()
    )
    assert response["statusCode"] == 200
    assert response["headers"]["content-type"] == "application/json"
    assert response["isBase64Encoded"] is False
    assert json.loads(response["body"]) == {"count": 2}


def test_http_api_event_on_named_stage_is_routed_below_the_stage_base_path(
    table: Table, settings: Settings
) -> None:
    table.put({**keys.visitor_total(), "count": 1})
    staged = settings.model_copy(update={"api_base_path": "/prod"})
    event = load_event("http-api-prod-stage-visitors-count.json")
    assert event["requestContext"]["stage"] == "prod"
    response = lambda_handler(staged)(event, FakeLambdaContext())
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"count": 1}


@pytest.mark.parametrize("stage", ["v1", "docs", "health"])
def test_a_stage_named_like_a_path_segment_routes_below_it(
    table: Table, settings: Settings, stage: str
) -> None:
    # Mangum strips the stage; the app must not strip a second `/v1` (or `/docs`) after it.
    table.put({**keys.visitor_total(), "count": 3})
    staged = lambda_handler(settings.model_copy(update={"api_base_path": f"/{stage}"}))
    count = staged(staged_event(stage, "/v1/visitors/count"), FakeLambdaContext())
    assert (count["statusCode"], json.loads(count["body"])) == (200, {"count": 3})
    assert staged(staged_event(stage, "/health"), FakeLambdaContext())["statusCode"] == 200
    docs = staged(staged_event(stage, "/docs"), FakeLambdaContext())
    assert docs["statusCode"] == 200
    assert f"/{stage}/openapi.json" in docs["body"]


def test_the_feed_links_to_itself_below_the_stage(table: Table, settings: Settings) -> None:
    staged = lambda_handler(settings.model_copy(update={"api_base_path": "/prod"}))
    response = staged(staged_event("prod", "/v1/blog/feed.xml"), FakeLambdaContext())
    assert response["statusCode"] == 200
    body = response["body"]
    feed = base64.b64decode(body) if response["isBase64Encoded"] else body.encode()
    host = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
    assert f'<link rel="self" href="{host}/prod/v1/blog/feed.xml"'.encode() in feed


def test_a_trailing_slash_redirect_stays_below_the_stage(table: Table, settings: Settings) -> None:
    staged = lambda_handler(settings.model_copy(update={"api_base_path": "/prod"}))
    response = staged(staged_event("prod", "/v1/blog/posts/"), FakeLambdaContext())
    assert response["statusCode"] == 307
    location = response["headers"]["location"]
    assert location == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/v1/blog/posts"


def test_a_head_event_answers_the_get_headers_without_the_body(
    table: Table, settings: Settings
) -> None:
    handler = lambda_handler(settings)
    get = handler(load_event("http-api-visitors-count.json"), FakeLambdaContext())
    event = load_event("http-api-visitors-count.json")
    event["requestContext"]["http"]["method"] = "HEAD"
    event["routeKey"] = event["requestContext"]["routeKey"] = "HEAD /v1/visitors/count"
    head = handler(event, FakeLambdaContext())
    assert (get["statusCode"], head["statusCode"]) == (200, 200)
    assert get["body"]
    assert head["body"] == ""
    assert head["headers"]["content-length"] == str(len(get["body"]))


def test_named_stage_event_is_not_found_when_the_base_path_is_not_configured(
    table: Table, settings: Settings
) -> None:
    assert settings.api_base_path == ""
    response = lambda_handler(settings)(
        load_event("http-api-prod-stage-visitors-count.json"), FakeLambdaContext()
    )
    assert response["statusCode"] == 404
    body = json.loads(response["body"])
    assert body["error"] == "Not Found"
    assert "/prod/v1/visitors/count" in body["message"]


def test_rest_api_proxy_event_tracks_a_visit(table: Table, settings: Settings) -> None:
    response = lambda_handler(settings)(
        load_event("rest-api-visitors-track.json"), FakeLambdaContext()
    )
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"count": 1, "tracked": True}
    stored = table.get(keys.visitor_total())
    assert stored is not None
    assert stored["count"] == 1


def test_response_carries_the_lambda_request_id(table: Table, settings: Settings) -> None:
    context = FakeLambdaContext(aws_request_id="5e7a1c0b-2f4d-4b8e-a1c3-d5e7f9a0b2c4")
    response = lambda_handler(settings)(load_event("http-api-visitors-count.json"), context)
    assert response["headers"]["x-request-id"] == context.aws_request_id


def test_the_access_line_carries_the_gateways_request_id_too(
    table: Table, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # The access log of API Gateway records `$context.requestId`; the app's line names both.
    event = load_event("http-api-visitors-count.json")
    context = FakeLambdaContext(aws_request_id="5e7a1c0b-2f4d-4b8e-a1c3-d5e7f9a0b2c4")
    with caplog.at_level(logging.INFO, logger="portfolio_api.access"):
        lambda_handler(settings)(event, context)
    [line] = [r for r in caplog.records if r.name == "portfolio_api.access"]
    assert line.requestId == context.aws_request_id  # type: ignore[attr-defined]
    assert line.apiRequestId == event["requestContext"]["requestId"]  # type: ignore[attr-defined]


def test_rest_api_response_carries_the_lambda_request_id(table: Table, settings: Settings) -> None:
    context = FakeLambdaContext(aws_request_id="9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e")
    response = lambda_handler(settings)(load_event("rest-api-visitors-track.json"), context)
    assert response["headers"]["x-request-id"] == context.aws_request_id


def test_owner_route_event_with_gateway_claims_still_needs_a_token_the_app_verifies(
    table: Table, settings: Settings
) -> None:
    # Defence in depth: the authorizer's claims in the event grant nothing by themselves.
    event = load_event("http-api-owner-route-unverified-token.json")
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] == "[owner]"
    response = lambda_handler(settings)(event, FakeLambdaContext())
    assert response["statusCode"] == 401
    assert json.loads(response["body"])["error"] == "Unauthorized"


def test_preflight_event_of_an_owner_route_is_answered_without_a_token(
    table: Table, settings: Settings
) -> None:
    event = load_event("http-api-preflight-blog-post.json")
    assert event["routeKey"] == "OPTIONS /{proxy+}"
    assert "authorization" not in event["headers"]
    response = lambda_handler(settings)(event, FakeLambdaContext())
    assert response["statusCode"] == 200
    assert response["headers"]["access-control-allow-origin"] == event["headers"]["origin"]
    assert "PUT" in response["headers"]["access-control-allow-methods"]
