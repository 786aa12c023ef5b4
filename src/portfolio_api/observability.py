"""Structured JSON logs and the request-context middleware (request id, access log, 500s)."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portfolio_api.errors import INTERNAL_ERROR_MESSAGE, error_body

logger = logging.getLogger("portfolio_api")
access_logger = logging.getLogger("portfolio_api.access")

NOSNIFF = (b"x-content-type-options", b"nosniff")
"""On every response: browsers never guess another type than the one declared."""
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_GATEWAY_REQUEST_ID = re.compile(r"^[A-Za-z0-9+/=._:-]{1,128}$")
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _STANDARD_ATTRS
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


_REQUEST: ContextVar[dict[str, str] | None] = ContextVar("portfolio_api_request", default=None)
"""The ids of the request being served: `requestId` (Lambda's, the `X-Request-Id` answered)
and `apiRequestId` (API Gateway's, `$context.requestId` in the access log)."""


def _with_request_ids(
    factory: Callable[..., logging.LogRecord],
) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        for name, value in (_REQUEST.get() or {}).items():
            setattr(record, name, value)
        return record

    make._portfolio_api = True  # type: ignore[attr-defined]
    return make


def configure_logging(level: str) -> None:
    """Send the app's logs as JSON lines to stdout at `level` (idempotent). Every line logged
    while a request is served carries its ids, so a warning leads to its request's line."""
    if not getattr(logging.getLogRecordFactory(), "_portfolio_api", False):
        logging.setLogRecordFactory(_with_request_ids(logging.getLogRecordFactory()))
    root = logging.getLogger("portfolio_api")
    root.setLevel(level)
    if not any(getattr(h, "_portfolio_api", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        handler._portfolio_api = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.propagate = False


def _request_id(scope: Scope) -> str:
    context = scope.get("aws.context")
    lambda_id = getattr(context, "aws_request_id", None)
    if isinstance(lambda_id, str) and lambda_id:
        return lambda_id
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _SAFE_REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


def _api_request_id(scope: Scope) -> str | None:
    """API Gateway's id of the request (`requestContext.requestId` of the Lambda event)."""
    event = scope.get("aws.event")
    context = event.get("requestContext") if isinstance(event, dict) else None
    value = context.get("requestId") if isinstance(context, dict) else None
    return value if isinstance(value, str) and _GATEWAY_REQUEST_ID.match(value) else None


async def _send_internal_error(send: Send, request_id: str) -> None:
    """The contract's 500, naming the request id (the logs carry the traceback)."""
    body = json.dumps(error_body(500, INTERNAL_ERROR_MESSAGE, {"requestId": request_id})).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class UnexpectedErrorMiddleware:
    """Answers an unhandled exception with the contract's 500 from inside the CORS middlewares,
    so that the browser may read it; RequestContextMiddleware (outside) assigns the request id
    and logs the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started |= message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if response_started:
                raise  # too late for a 500; RequestContextMiddleware logs it
            logger.exception("unhandled error")
            await _send_internal_error(send, str(scope.get("state", {}).get("request_id", "")))


class RequestContextMiddleware:
    """Assigns a request id, logs one line per request and answers 500 without a stack trace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        added = [(b"x-request-id", request_id.encode("latin-1")), NOSNIFF]
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", ()))
                declared = {name.lower() for name, _ in headers}
                message["headers"] = headers + [h for h in added if h[0] not in declared]
            await send(message)

        ids = {"requestId": request_id}
        api_request_id = _api_request_id(scope)
        if api_request_id:
            ids["apiRequestId"] = api_request_id
        context = _REQUEST.set(ids)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Raised outside UnexpectedErrorMiddleware (by a middleware), or after the response
            # started: log it, and answer if there is still time.
            logger.exception("unhandled error")
            status = 500
            if not response_started:
                await _send_internal_error(send_with_id, request_id)
        finally:
            route = scope.get("route")
            access_logger.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "route": getattr(route, "path", None) or "unmatched",
                    "status": status,
                    "latencyMs": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            _REQUEST.reset(context)
