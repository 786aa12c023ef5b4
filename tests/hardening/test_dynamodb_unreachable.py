"""DynamoDB out of reach through the real routes: a refused, timed-out or cut connection (a
botocore error, not a service answer) is a 503 with Retry-After, and nothing is written."""

from __future__ import annotations

import logging
from collections.abc import Callable
from itertools import cycle

import pytest
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.db.table import Table
from tests.hardening.conftest import Seed
from tests.hardening.faults import FailingProxy, Snapshot, assert_error, install
from tests.hardening.test_dynamodb_faults import OWNER_WRITES, PUBLIC_READS, TRACKS, Call

ENDPOINT = "https://dynamodb.eu-west-1.amazonaws.com/"
FAULTS = {
    "refused": EndpointConnectionError(endpoint_url=ENDPOINT),
    "connect timeout": ConnectTimeoutError(endpoint_url=ENDPOINT),
    "read timeout": ReadTimeoutError(endpoint_url=ENDPOINT),
    "connection closed": ConnectionClosedError(endpoint_url=ENDPOINT),
}
UNAVAILABLE = "The database is unavailable; retry shortly"
CALLS = {**PUBLIC_READS, **TRACKS, **OWNER_WRITES}
# Every route family once, the faults taking turns (every pair would take minutes to seed).
CASES = [
    pytest.param(call, fault, id=f"{name}, {kind}")
    for (name, call), (kind, fault) in zip(CALLS.items(), cycle(FAULTS.items()), strict=False)
]


@pytest.mark.parametrize(("call", "fault"), CASES)
def test_unreachable_dynamodb_is_503_with_retry_after_and_writes_nothing(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    call: Call,
    fault: Exception,
) -> None:
    before = items()
    proxy = install(app, table, FailingProxy(table.client, fail_on={call.operation: fault}))
    response = call.send(client, seeded, owner_headers)
    assert assert_error(response, 503)["message"] == UNAVAILABLE
    assert response.headers["Retry-After"] == "1"
    assert proxy.calls[call.operation] >= 1
    assert items() == before


def test_unreachable_dynamodb_is_logged_as_a_warning_of_its_request(
    app: FastAPI,
    table: Table,
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(app, table, FailingProxy(table.client, fail_on={"get_item": FAULTS["refused"]}))
    with caplog.at_level(logging.INFO, logger="portfolio_api"):
        response = PUBLIC_READS["resume"].send(client, seeded, owner_headers)
    warnings = [r for r in caplog.records if r.getMessage() == "dynamodb unreachable"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert warnings[0].operation == "get_item"  # type: ignore[attr-defined]
    assert warnings[0].requestId == response.headers["x-request-id"]  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
