"""The AWS clients: a request's SDK calls end well inside the Lambda timeout, Cognito is asked
once, and pre-signed PDF links name the bucket's regional host."""

from __future__ import annotations

import argparse
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from botocore.retries.standard import ExponentialBackoff, RetryContext
from fastapi.testclient import TestClient

from portfolio_api import aws
from portfolio_api.config import Settings
from portfolio_api.db.table import Table
from portfolio_api.errors import ServiceUnavailable
from portfolio_api.main import create_app
from tests.hardening.faults import ErrorEndpoint

# The SDK calls a request makes one after the other, at most in the usual case.
REQUESTS = {
    # The day's salt (once per container and day), the visit's transaction, the total.
    "POST /v1/visitors/track": ["dynamodb", "dynamodb", "dynamodb"],
    # The published resume, HeadObject, PutObject of a PDF rendered for the first time.
    "GET /v1/resume/pdf": ["dynamodb", "s3", "s3"],
    "POST /v1/auth/login": ["cognito-idp"],
}
SLACK = 0.8
"""The share of the timeout the SDK calls may take: the rest is the app's own work."""


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    """Clients made by these tests (other endpoints, regions) are not left to other tests."""
    aws.reset_clients()
    yield
    aws.reset_clients()


def _clients(settings: Settings) -> dict[str, Any]:
    return {
        "dynamodb": aws.dynamodb_client(settings),
        "s3": aws.s3_client(settings),
        "cognito-idp": aws.cognito_client(settings),
    }


class _Throttling:
    """Every error is taken for throttling, whose backoff is the longest."""

    def is_throttling_error_from_context(self, context: RetryContext) -> bool:
        return True


def _worst_call(client: Any) -> float:
    """Seconds one call may take: every attempt waits out both timeouts, and the longest
    backoff botocore may sleep comes between attempts."""
    config = client.meta.config
    attempts: int = config.retries["total_max_attempts"]
    backoff = ExponentialBackoff(
        random=lambda: 1.0,
        service_name=client.meta.service_model.service_id.hyphenize(),
        throttling_detector=_Throttling(),
    )
    sleeps = sum(backoff.delay_amount(RetryContext(attempt_number=n)) for n in range(1, attempts))
    return float(attempts * (config.connect_timeout + config.read_timeout) + sleeps)


@pytest.mark.parametrize("request_line", REQUESTS)
def test_the_sdk_calls_of_a_request_end_well_inside_the_default_function_timeout(
    template: dict[str, Any], request_line: str
) -> None:
    timeout = template["Parameters"]["FunctionTimeout"]["Default"]
    clients = _clients(Settings(aws_region="eu-west-1"))
    worst = sum(_worst_call(clients[service]) for service in REQUESTS[request_line])
    assert worst <= SLACK * timeout, f"{request_line}: {worst:.2f} s of {timeout} s"


@pytest.mark.parametrize("service", ["dynamodb", "s3", "cognito-idp"])
def test_each_client_counts_the_first_attempt_in_its_limit(service: str) -> None:
    # The legacy `max_attempts` key counts retries: 3 meant 4 attempts.
    client = _clients(Settings(aws_region="eu-west-1"))[service]
    limits = aws.LIMITS[service]
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": limits.attempts}
    assert client.meta.config.connect_timeout == limits.connect_timeout
    assert client.meta.config.read_timeout == limits.read_timeout


@pytest.fixture
def throttling_cognito() -> Iterator[ErrorEndpoint]:
    """Cognito answering TooManyRequestsException to everything."""
    endpoint = ErrorEndpoint("TooManyRequestsException")
    yield endpoint
    endpoint.close()


@pytest.fixture
def throttling_dynamodb() -> Iterator[ErrorEndpoint]:
    """DynamoDB answering ThrottlingException to everything."""
    endpoint = ErrorEndpoint("com.amazon.coral.availability#ThrottlingException")
    yield endpoint
    endpoint.close()


def test_a_throttled_login_sends_one_initiate_auth(throttling_cognito: ErrorEndpoint) -> None:
    settings = Settings(
        cognito_endpoint_url=throttling_cognito.url,
        cognito_user_pool_id="us-east-1_Abc",
        cognito_client_id="client123",
    )
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    credentials = {"email": "owner@example.com", "password": "Whatever-Passw0rd!"}
    response = client.post("/v1/auth/login", json=credentials)
    assert (response.status_code, response.headers["Retry-After"]) == (503, "2")
    assert throttling_cognito.targets == ["AWSCognitoIdentityProviderService.InitiateAuth"]


def test_a_throttled_dynamodb_call_is_tried_as_often_as_its_limit_says(
    throttling_dynamodb: ErrorEndpoint,
) -> None:
    settings = Settings(dynamodb_endpoint_url=throttling_dynamodb.url)
    table = Table(client=aws.dynamodb_client(settings), name="t", cursor_secret=b"s")
    with pytest.raises(ServiceUnavailable):
        table.get({"PK": "a", "SK": "b"})
    assert len(throttling_dynamodb.targets) == aws.LIMITS["dynamodb"].attempts


@pytest.fixture
def silent_endpoint() -> Iterator[tuple[str, list[socket.socket]]]:
    """An endpoint that accepts connections and never answers; its URL and the connections."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed at teardown
                return
            connections.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", connections
    listener.close()
    for connection in connections:
        connection.close()


def test_a_dynamodb_that_never_answers_is_a_503_within_the_call_limits(
    silent_endpoint: tuple[str, list[socket.socket]],
) -> None:
    url, connections = silent_endpoint
    client = TestClient(
        create_app(Settings(dynamodb_endpoint_url=url)), raise_server_exceptions=False
    )
    started = time.monotonic()
    response = client.get("/v1/visitors/count")
    elapsed = time.monotonic() - started
    assert (response.status_code, response.headers["Retry-After"]) == (503, "1")
    assert response.json()["message"] == "The database is unavailable; retry shortly"
    assert len(connections) == aws.LIMITS["dynamodb"].attempts
    limits = aws.LIMITS["dynamodb"]
    assert elapsed < limits.attempts * (limits.connect_timeout + limits.read_timeout) + 2


@pytest.mark.parametrize("region", ["eu-west-1", "af-south-1"])
def test_a_pre_signed_pdf_link_names_the_buckets_regional_host(region: str) -> None:
    # The global host redirects for a day after a bucket is made (and the redirect breaks
    # the signature); opt-in regions such as af-south-1 are never served there.
    s3 = aws.s3_client(Settings(aws_region=region))
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "files-bucket", "Key": "resume/pdf/v1.pdf"}, ExpiresIn=60
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", f"files-bucket.s3.{region}.amazonaws.com")
    assert parts.path == "/resume/pdf/v1.pdf"
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in parts.query


def test_a_pre_signed_pdf_link_keeps_an_emulator_endpoint_and_its_paths() -> None:
    s3 = aws.s3_client(Settings(aws_region="eu-west-1", s3_endpoint_url="http://127.0.0.1:4566"))
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "files-bucket", "Key": "resume/pdf/v1.pdf"}, ExpiresIn=60
    )
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("127.0.0.1:4566", "/files-bucket/resume/pdf/v1.pdf")


def _limits_of(client: Any) -> aws.CallLimits:
    config = client.meta.config
    return aws.CallLimits(
        attempts=config.retries["total_max_attempts"],
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
    )


def test_the_emulator_setting_makes_request_clients_patient() -> None:
    # `portfolio-api dev`'s emulator serves one call at a time: with the Lambda limits, parallel
    # requests timed out waiting for each other (503s, and counted tracks answered as failed).
    settings = Settings(aws_region="eu-west-1", aws_call_limits="patient")
    assert {_limits_of(client) for client in _clients(settings).values()} == {aws.PATIENT}


def test_operator_commands_use_patient_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    # An operator's machine may be an ocean away: a TLS handshake alone can outlast LIMITS.
    from portfolio_api.backup.commands import _client_and_table
    from portfolio_api.config import get_settings
    from portfolio_api.db.table import configured_table

    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    get_settings.cache_clear()
    try:
        backup_client, _ = _client_and_table(argparse.Namespace(table="t"))
        assert _limits_of(backup_client) == aws.PATIENT
        assert _limits_of(configured_table("t").client) == aws.PATIENT
    finally:
        get_settings.cache_clear()


def test_the_dev_server_environment_asks_for_patient_clients(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from portfolio_api.local.dev import app_environment
    from portfolio_api.local.emulator import Provisioned

    environment = app_environment(
        endpoint_url="http://127.0.0.1:4566",
        jwks_url="http://127.0.0.1:4566/jwks.json",
        provisioned=Provisioned(
            table_name="t", bucket_name="b", user_pool_id="us-east-1_x", client_id="c"
        ),
        cursor_secret="s",
    )
    assert Settings().aws_call_limits == "lambda"
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert Settings().aws_call_limits == "patient"
