"""Fault injection at the botocore boundary: a DynamoDB client that fails or loses races on
chosen operations, botocore hooks that fail Cognito and S3 calls, and a table snapshot.

Nothing here patches our own code: the app gets a real botocore client (wrapped, or with an
event hook registered on it) and every layer above it runs as in production.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import ClientError
from fastapi import FastAPI
from httpx2 import Response

from portfolio_api.db.table import Table
from portfolio_api.errors import phrase

Snapshot = dict[tuple[str, str], str]


class FailingProxy:
    """The real DynamoDB client, except for the operations named in `fail_on` and `race_on`.

    `fail_on[operation]` is raised instead of the call (the first `times` calls, or every
    one), as botocore raises an error that outlived its retries. `race_on[operation]` runs
    just before the real call, as a concurrent writer would between our read and our write.
    `calls` counts the intercepted calls by operation.
    """

    def __init__(
        self,
        client: Any,
        *,
        fail_on: dict[str, Exception] | None = None,
        race_on: dict[str, Callable[[], None]] | None = None,
        times: int | None = None,
    ) -> None:
        self._client = client
        self._fail_on = fail_on or {}
        self._race_on = race_on or {}
        self._times = times
        self.calls: dict[str, int] = {}

    def __getattr__(self, operation: str) -> Any:
        real = getattr(self._client, operation)
        if operation not in self._fail_on and operation not in self._race_on:
            return real

        def intercepted(**request: Any) -> Any:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            if operation in self._race_on:
                self._race_on[operation]()
            failing = self._times is None or self.calls[operation] <= self._times
            if operation in self._fail_on and failing:
                raise self._fail_on[operation]
            return real(**request)

        return intercepted


def install(app: FastAPI, table: Table, proxy: FailingProxy) -> FailingProxy:
    """Make the app use `proxy` as its DynamoDB client (as `deps.get_table` would build it)."""
    app.state.table = Table(
        client=proxy,
        name=table.name,
        cursor_secret=app.state.settings.cursor_secret.get_secret_value().encode(),
    )
    return proxy


def dynamodb_error(
    client: Any,
    code: str,
    operation: str,
    *,
    reasons: tuple[str, ...] = (),
    message: str = "injected",
) -> ClientError:
    """The modelled exception DynamoDB's client raises for `code` (with a transaction's
    per-action cancellation reasons, in order, each with `message`)."""
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    if reasons:
        response["CancellationReasons"] = [
            {"Code": reason, "Message": message} for reason in reasons
        ]
    error_class = client.exceptions.from_code(code)
    error: ClientError = error_class(response, operation)
    return error


def fail_calls(
    client: Any, operation: str, fault: str | Exception, *, status: int = 400
) -> Callable[[], None]:
    """Answer every `operation` call of `client` with the error `fault` (a code, parsed and
    raised by botocore as the service's own error) or raise `fault` (e.g. a connection
    error). Returns the function that removes the hook."""
    service = client.meta.service_model.service_id.hyphenize()
    event = f"before-call.{service}.{operation}"

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if isinstance(fault, Exception):
            raise fault
        http = AWSResponse(client.meta.endpoint_url, status, HTTPHeaders(), None)
        return http, {
            "Error": {"Code": fault, "Message": "injected"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }

    client.meta.events.register(event, answer)
    return lambda: client.meta.events.unregister(event, answer)


def snapshot(table: Table) -> Snapshot:
    """Every item of the table, read straight from the (moto) backend, by key."""
    items: Snapshot = {}
    request: dict[str, Any] = {"TableName": table.name, "ConsistentRead": True}
    while True:
        page = table.client.scan(**request)
        for item in page["Items"]:
            key = (item["PK"]["S"], item["SK"]["S"])
            items[key] = json.dumps(item, sort_keys=True)
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def assert_error(response: Response, status: int, case: str = "") -> dict[str, Any]:
    """`response` (to the input named `case`) is `status` in the contract's Error format,
    without internals; its body."""
    assert response.status_code == status, f"{case}: {response.text}"
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "message", "statusCode", "details"}
    assert body["statusCode"] == status
    assert body["error"] == phrase(status)
    assert isinstance(body["message"], str)
    assert body["message"]
    assert "Traceback" not in response.text
    return body


class ErrorEndpoint:
    """An AWS JSON endpoint on 127.0.0.1 answering every call with one error (`code` and
    `status` may be changed between calls); `targets` lists each call's X-Amz-Target."""

    def __init__(self, code: str, *, status: int = 400) -> None:
        self.code = code
        self.status = status
        self.targets: list[str] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                endpoint.targets.append(self.headers.get("X-Amz-Target", ""))
                body = json.dumps({"__type": endpoint.code, "message": "refused"}).encode()
                self.send_response(endpoint.status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
