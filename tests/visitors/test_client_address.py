"""Where the client address comes from: API Gateway's request context, the socket locally,
X-Forwarded-For only when a trusted proxy is configured."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from mangum import Mangum

from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.db.table import Table
from portfolio_api.main import create_app
from tests.visitors.conftest import browser

EVENTS = Path(__file__).resolve().parents[2] / "events"


@dataclass(frozen=True)
class LambdaContext:
    """The Lambda context attributes the app reads."""

    aws_request_id: str = "3f0c9a8e-1d2b-4c5d-8e7f-0a1b2c3d4e5f"


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def _track_event(name: str, source_ip: str, forwarded_for: str) -> dict[str, Any]:
    """An API Gateway event of POST /v1/visitors/track from `source_ip`."""
    event = load_event(name)
    if event.get("version") == "2.0":
        event["rawPath"] = event["requestContext"]["http"]["path"] = "/v1/visitors/track"
        event["requestContext"]["http"]["method"] = "POST"
        event["requestContext"]["http"]["sourceIp"] = source_ip
        event["headers"]["x-forwarded-for"] = forwarded_for
    else:
        event["requestContext"]["identity"]["sourceIp"] = source_ip
        event["headers"]["X-Forwarded-For"] = forwarded_for
        event["multiValueHeaders"]["X-Forwarded-For"] = [forwarded_for]
    return event


def _tracked(handler: Mangum, event: dict[str, Any]) -> bool:
    response = handler(event, LambdaContext())
    assert response["statusCode"] == 200
    tracked: bool = json.loads(response["body"])["tracked"]
    return tracked


def test_http_api_visitors_are_told_apart_by_source_ip(table: Table, settings: Settings) -> None:
    handler = Mangum(create_app(settings), lifespan="off")
    event = "http-api-visitors-count.json"
    assert _tracked(handler, _track_event(event, "203.0.113.10", "203.0.113.10"))
    assert _tracked(handler, _track_event(event, "203.0.113.11", "203.0.113.11"))
    assert not _tracked(handler, _track_event(event, "203.0.113.10", "203.0.113.10"))


def test_rest_api_visitors_are_told_apart_by_source_ip(table: Table, settings: Settings) -> None:
    handler = Mangum(create_app(settings), lifespan="off")
    event = "rest-api-visitors-track.json"
    assert _tracked(handler, _track_event(event, "203.0.113.10", "203.0.113.10"))
    assert _tracked(handler, _track_event(event, "203.0.113.11", "203.0.113.11"))
    assert not _tracked(handler, _track_event(event, "203.0.113.11", "203.0.113.11"))


def test_a_forged_forwarded_for_does_not_make_a_new_visitor_in_lambda(
    table: Table, settings: Settings
) -> None:
    handler = Mangum(create_app(settings), lifespan="off")
    event = "http-api-visitors-count.json"
    assert _tracked(handler, _track_event(event, "203.0.113.10", "1.1.1.1, 203.0.113.10"))
    assert not _tracked(handler, _track_event(event, "203.0.113.10", "2.2.2.2, 203.0.113.10"))


def test_forwarded_for_is_ignored_by_default(client: TestClient, clock: FixedClock) -> None:
    first = client.post("/v1/visitors/track", headers={**browser(), "X-Forwarded-For": "1.1.1.1"})
    forged = client.post("/v1/visitors/track", headers={**browser(), "X-Forwarded-For": "2.2.2.2"})
    assert first.json()["tracked"] is True
    assert forged.json()["tracked"] is False


def test_a_trusted_proxy_hop_is_read_from_the_right(table: Table, settings: Settings) -> None:
    behind_proxy = settings.model_copy(update={"trusted_proxy_hops": 1})
    with TestClient(create_app(behind_proxy)) as client:

        def track(forwarded_for: str) -> bool:
            headers = {**browser(), "X-Forwarded-For": forwarded_for}
            tracked: bool = client.post("/v1/visitors/track", headers=headers).json()["tracked"]
            return tracked

        assert track("198.51.100.1")
        assert track("198.51.100.2")
        # The left-most address is whatever the client claimed; only the proxy's entry counts.
        assert not track("9.9.9.9, 198.51.100.2")
