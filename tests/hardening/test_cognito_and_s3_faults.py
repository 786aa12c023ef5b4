"""Cognito and S3 outages through the real routes: throttling or an unreachable endpoint is a
503 with Retry-After, and nothing is written.

The JWKS side of Cognito (keys cached, endpoint down: tokens still verify) is covered by
tests/auth/test_jwks.py::test_cached_keys_keep_working_when_the_jwks_endpoint_fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError
from fastapi.testclient import TestClient

from portfolio_api import aws
from portfolio_api.auth.cognito import UNAVAILABLE as IDP_UNAVAILABLE
from portfolio_api.config import Settings
from portfolio_api.resume.storage import UNAVAILABLE as STORE_UNAVAILABLE
from tests.conftest import OWNER_EMAIL, OWNER_PASSWORD
from tests.hardening.conftest import Seed
from tests.hardening.faults import Snapshot, assert_error, fail_calls

COGNITO_FAULTS = {
    "throttled": "TooManyRequestsException",
    "unreachable": EndpointConnectionError(endpoint_url="https://cognito-idp.invalid/"),
}


def _auth_request(route: str, tokens: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, str]]:
    """The path, body and headers of an auth route that calls Cognito."""
    if route == "login":
        return "/v1/auth/login", {"email": OWNER_EMAIL, "password": OWNER_PASSWORD}, {}
    if route == "refresh":
        return "/v1/auth/refresh", {"refresh_token": tokens["RefreshToken"]}, {}
    body = {"email": OWNER_EMAIL, "session": "s" * 40, "new_password": "New-Passw0rd!"}
    return "/v1/auth/challenge", body, {}


# Not logout: it records the sign-out before it calls Cognito, so that its tokens are refused
# whatever Cognito answers (tests/auth/test_sign_out.py covers its Cognito outage).
COGNITO_OPERATIONS = {
    "login": "InitiateAuth",
    "refresh": "InitiateAuth",
    "challenge": "RespondToAuthChallenge",
}


@pytest.mark.parametrize("fault", COGNITO_FAULTS.values(), ids=COGNITO_FAULTS)
@pytest.mark.parametrize("route", COGNITO_OPERATIONS)
def test_cognito_unavailable_is_503_with_retry_after_and_writes_nothing(
    client: TestClient,
    settings: Settings,
    seeded: Seed,
    owner_tokens: dict[str, Any],
    items: Callable[[], Snapshot],
    route: str,
    fault: str | Exception,
) -> None:
    path, body, headers = _auth_request(route, owner_tokens)
    before = items()
    fail_calls(aws.cognito_client(settings), COGNITO_OPERATIONS[route], fault)
    response = client.post(path, json=body, headers=headers)
    assert assert_error(response, 503)["message"] == IDP_UNAVAILABLE
    assert response.headers["Retry-After"] == "2"
    assert items() == before


def test_login_works_again_once_cognito_recovers(
    client: TestClient, settings: Settings, cognito_pool: Any
) -> None:
    stop = fail_calls(aws.cognito_client(settings), "InitiateAuth", "TooManyRequestsException")
    credentials = {"email": OWNER_EMAIL, "password": OWNER_PASSWORD}
    assert client.post("/v1/auth/login", json=credentials).status_code == 503
    stop()
    response = client.post("/v1/auth/login", json=credentials)
    assert response.status_code == 200
    assert response.json()["user"]["email"] == OWNER_EMAIL


@pytest.fixture
def bucket(settings: Settings) -> Any:
    """The app's S3 client, with the (empty) PDF bucket created."""
    s3 = aws.s3_client(settings)
    s3.create_bucket(Bucket=settings.s3_bucket_name)
    return s3


def _objects(s3: Any, settings: Settings) -> list[str]:
    listing = s3.list_objects_v2(Bucket=settings.s3_bucket_name)
    return [obj["Key"] for obj in listing.get("Contents", [])]


S3_FAULTS = {
    "head throttled": ("HeadObject", "SlowDown", 503),
    "head unreachable": (
        "HeadObject",
        EndpointConnectionError(endpoint_url="https://s3.invalid/"),
        0,
    ),
    "put internal error": ("PutObject", "InternalError", 500),
    "put denied": ("PutObject", "AccessDenied", 403),
    "put unreachable": (
        "PutObject",
        EndpointConnectionError(endpoint_url="https://s3.invalid/"),
        0,
    ),
}


@pytest.mark.parametrize(("operation", "fault", "status"), S3_FAULTS.values(), ids=S3_FAULTS)
def test_s3_down_during_the_pdf_is_503_with_retry_after_and_writes_nothing(
    client: TestClient,
    settings: Settings,
    bucket: Any,
    seeded: Seed,
    items: Callable[[], Snapshot],
    operation: str,
    fault: str | Exception,
    status: int,
) -> None:
    before = items()
    fail_calls(bucket, operation, fault, status=status)
    response = client.get("/v1/resume/pdf")
    assert assert_error(response, 503)["message"] == STORE_UNAVAILABLE
    assert response.headers["Retry-After"] == "1"
    assert items() == before
    assert _objects(bucket, settings) == []


def test_the_pdf_is_served_once_s3_recovers(
    client: TestClient, settings: Settings, bucket: Any, seeded: Seed
) -> None:
    stop = fail_calls(bucket, "PutObject", "SlowDown", status=503)
    assert client.get("/v1/resume/pdf").status_code == 503
    stop()
    response = client.get("/v1/resume/pdf")
    assert response.status_code == 200
    assert len(_objects(bucket, settings)) == 1
    assert response.json()["url"].startswith("https://")
