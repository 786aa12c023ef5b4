"""Lambda SnapStart: warm the app before Lambda takes the snapshot.

With SnapStart (template parameter `EnableSnapStart`) Lambda runs the init phase once per
published version and restores every later cold start from its snapshot, so whatever runs
before the snapshot is free afterwards: every router included (otherwise each is included on
first use, see `routers`), the route table resolved, the response models' serializers built,
botocore's service models loaded and the clients created. The clients are safe to keep: under
SnapStart, Lambda hands out credentials through the container credentials endpoint, which
botocore refreshes after a restore. `snapshot_restore_py` ships with the Lambda Python
runtime; elsewhere nothing is registered.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from mangum import Mangum
from mangum.types import LambdaCognitoIdentity, LambdaMobileClientContext

from portfolio_api import aws
from portfolio_api.config import Settings
from portfolio_api.routers import include_all

WARM_UP_EVENT: dict[str, Any] = {
    "version": "2.0",
    "routeKey": "GET /health",
    "rawPath": "/health",
    "rawQueryString": "",
    "headers": {"host": "snapstart.invalid", "user-agent": "snapstart-warm-up"},
    "requestContext": {
        "accountId": "000000000000",
        "apiId": "snapstart",
        "domainName": "snapstart.invalid",
        "http": {
            "method": "GET",
            "path": "/health",
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": "snapstart-warm-up",
        },
        "requestId": "snapstart-warm-up",
        "routeKey": "GET /health",
        "stage": "$default",
        "timeEpoch": 0,
    },
    "isBase64Encoded": False,
}
"""A `GET /health` request on the `$default` stage (HTTP API payload 2.0)."""


@dataclass
class WarmUpContext:
    """A Lambda context for the warm-up request, which no invocation carries."""

    aws_request_id: str = "snapstart-warm-up"
    function_name: str = "snapstart-warm-up"
    function_version: str = "$LATEST"
    invoked_function_arn: str = ""
    memory_limit_in_mb: int = 0
    log_group_name: str = ""
    log_stream_name: str = ""
    identity: LambdaCognitoIdentity | None = None
    client_context: LambdaMobileClientContext | None = None

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def warm(handler: Mangum, settings: Settings) -> int:
    """Include every router and build its routes, create the AWS clients and serve one
    `/health` request; its status code."""
    if isinstance(handler.app, FastAPI):
        app = include_all(handler.app)
        # Listing the route contexts builds each route's request handler, which FastAPI
        # otherwise does on the first request that reaches its router.
        list(iter_route_contexts(app.routes))
    aws.dynamodb_client(settings)
    aws.cognito_client(settings)
    aws.s3_client(settings)
    event = dict(WARM_UP_EVENT)
    if settings.api_base_path:
        event["rawPath"] = f"{settings.api_base_path}/health"
    response = handler(event, WarmUpContext())
    return int(response["statusCode"])


def register(handler: Mangum, settings: Settings) -> bool:
    """Have Lambda run `warm(handler, settings)` before the snapshot; False elsewhere."""
    if importlib.util.find_spec("snapshot_restore_py") is None:
        return False
    from snapshot_restore_py import register_before_snapshot  # type: ignore[import-not-found]

    register_before_snapshot(warm, handler, settings)
    return True
