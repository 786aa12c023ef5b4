"""Cognito's refusals and outages map to clean API errors; secret app clients work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from portfolio_api import aws
from portfolio_api.auth import mfa
from portfolio_api.auth.cognito import CognitoIdentityProvider
from portfolio_api.auth.dependencies import get_identity_provider
from portfolio_api.auth.service import PASSWORD_REUSED
from portfolio_api.config import Settings
from portfolio_api.main import create_app
from tests.conftest import OWNER_EMAIL, OWNER_PASSWORD, CognitoPool
from tests.hardening.faults import ErrorEndpoint

CREDENTIALS = {"email": OWNER_EMAIL, "password": OWNER_PASSWORD}


@pytest.fixture
def cognito_errors() -> Iterator[ErrorEndpoint]:
    """The error endpoint, stopped after the test."""
    server = ErrorEndpoint("TooManyRequestsException")
    yield server
    server.close()


def _client_against(settings: Settings, endpoint: str) -> TestClient:
    aws.reset_clients()
    app = create_app(settings.model_copy(update={"cognito_endpoint_url": endpoint}))
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        (
            "PasswordResetRequiredException",
            403,
            "A password reset is required; reset the password in Cognito first",
        ),
        ("UserNotConfirmedException", 403, "The account is not confirmed yet"),
        ("UserNotFoundException", 401, "Invalid email or password"),
        ("NotAuthorizedException", 401, "Invalid email or password"),
    ],
)
def test_cognito_refusals_map_to_clear_errors(
    settings: Settings, cognito_errors: ErrorEndpoint, code: str, status: int, message: str
) -> None:
    cognito_errors.code = code
    response = _client_against(settings, cognito_errors.url).post(
        "/v1/auth/login", json=CREDENTIALS
    )
    assert response.status_code == status
    assert response.json()["message"] == message


def test_cognito_throttling_is_503_with_retry_after(
    settings: Settings, cognito_errors: ErrorEndpoint
) -> None:
    cognito_errors.code = "TooManyRequestsException"
    response = _client_against(settings, cognito_errors.url).post(
        "/v1/auth/login", json=CREDENTIALS
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json()["error"] == "Service Unavailable"


def test_cognito_internal_error_is_503(settings: Settings, cognito_errors: ErrorEndpoint) -> None:
    cognito_errors.code, cognito_errors.status = "InternalErrorException", 500
    response = _client_against(settings, cognito_errors.url).post(
        "/v1/auth/login", json=CREDENTIALS
    )
    assert response.status_code == 503


def test_unreachable_cognito_is_503(settings: Settings, cognito_errors: ErrorEndpoint) -> None:
    url = cognito_errors.url
    cognito_errors.close()  # nothing listens on the port any more
    response = _client_against(settings, url).post("/v1/auth/login", json=CREDENTIALS)
    assert response.status_code == 503
    assert "retry-after" in response.headers


@pytest.fixture
def secret_client(cognito_pool: CognitoPool, settings: Settings) -> TestClient:
    """The app configured with an app client that has a secret (SECRET_HASH required)."""
    created = cognito_pool.client.create_user_pool_client(
        UserPoolId=cognito_pool.pool_id,
        ClientName="with-secret",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["email", "name"],
    )["UserPoolClient"]
    configured = settings.model_copy(
        update={
            "cognito_client_id": created["ClientId"],
            "cognito_client_secret": SecretStr(created["ClientSecret"]),
        }
    )
    return TestClient(create_app(configured), raise_server_exceptions=False)


def test_a_secret_client_logs_in_and_refreshes_with_the_secret_hash(
    secret_client: TestClient,
) -> None:
    session = secret_client.post("/v1/auth/login", json=CREDENTIALS).json()
    response = secret_client.post(
        "/v1/auth/refresh", json={"refreshToken": session["refreshToken"], "username": OWNER_EMAIL}
    )
    assert response.status_code == 200
    assert response.json()["user"]["email"] == OWNER_EMAIL


def test_a_wrong_secret_hash_username_is_401(secret_client: TestClient) -> None:
    session = secret_client.post("/v1/auth/login", json=CREDENTIALS).json()
    response = secret_client.post(
        "/v1/auth/refresh",
        json={"refreshToken": session["refreshToken"], "username": "other@portfolio.example"},
    )
    assert response.status_code == 401


def test_a_secret_client_refresh_without_username_is_400(secret_client: TestClient) -> None:
    session = secret_client.post("/v1/auth/login", json=CREDENTIALS).json()
    response = secret_client.post(
        "/v1/auth/refresh", json={"refreshToken": session["refreshToken"]}
    )
    assert response.status_code == 400


@pytest.fixture
def cognito_stub(app: FastAPI, settings: Settings) -> Iterator[Stubber]:
    """Cognito as a botocore Stubber: each test queues what Cognito answers, in order."""
    cognito = botocore.session.get_session().create_client(
        "cognito-idp",
        region_name=settings.cognito_region,
        aws_access_key_id="stub",
        aws_secret_access_key="stub",
    )
    app.dependency_overrides[get_identity_provider] = lambda: CognitoIdentityProvider(
        client=cognito,
        user_pool_id=settings.cognito_user_pool_id,
        client_id=settings.cognito_client_id,
        client_secret=None,
    )
    with Stubber(cognito) as stub:
        yield stub
        stub.assert_no_pending_responses()
    del app.dependency_overrides[get_identity_provider]


def _assert_error(response: Any, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error", "message", "statusCode", "details"}
    assert response.json()["message"] == message


def test_verifying_a_code_before_the_app_setup_started_is_409_naming_the_first_step(
    client: TestClient, owner_tokens: dict[str, Any], cognito_stub: Stubber
) -> None:
    cognito_stub.add_client_error(
        "verify_software_token",
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA has not been associated",
    )
    response = client.post(
        "/v1/auth/mfa/totp/verify",
        json={"code": "123456"},
        headers={"Authorization": f"Bearer {owner_tokens['AccessToken']}"},
    )
    _assert_error(response, 409, mfa.NOT_STARTED)
    assert "POST /v1/auth/mfa/totp" in response.json()["message"]


def test_a_concurrent_change_of_the_authenticator_app_is_409(
    client: TestClient, owner_tokens: dict[str, Any], cognito_stub: Stubber
) -> None:
    cognito_stub.add_response("get_user", {"Username": "owner", "UserAttributes": []})
    cognito_stub.add_client_error("associate_software_token", "ConcurrentModificationException")
    response = client.post(
        "/v1/auth/mfa/totp", headers={"Authorization": f"Bearer {owner_tokens['AccessToken']}"}
    )
    _assert_error(response, 409, mfa.BUSY)


def test_answering_mfa_setup_with_a_code_before_getting_the_secret_is_400(
    client: TestClient, cognito_stub: Stubber
) -> None:
    cognito_stub.add_client_error("verify_software_token", "SoftwareTokenMFANotFoundException")
    response = client.post(
        "/v1/auth/challenge",
        json={
            "challenge": "MFA_SETUP",
            "email": OWNER_EMAIL,
            "session": "s" * 40,
            "code": "123456",
        },
    )
    _assert_error(response, 400, mfa.SETUP_NOT_STARTED)


def test_a_new_password_the_pool_remembers_is_400(
    client: TestClient, cognito_stub: Stubber
) -> None:
    cognito_stub.add_client_error(
        "respond_to_auth_challenge",
        "PasswordHistoryPolicyViolationException",
        "Password was used previously",
    )
    response = client.post(
        "/v1/auth/challenge",
        json={"email": OWNER_EMAIL, "session": "s" * 40, "newPassword": "Another-Passw0rd!"},
    )
    _assert_error(response, 400, PASSWORD_REUSED)
