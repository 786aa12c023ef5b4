"""With the pool's MFA `ON`, an owner without an authenticator app gets the MFA_SETUP challenge
at login (here after setting a first password, as a new owner would). `POST /v1/auth/challenge`
answers it in two steps: without a code, a 409 carries the app's secret and the next session;
with the app's first code, the login completes. moto checks the codes."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.auth.test_totp_challenge import current_code, enable_totp
from tests.conftest import CognitoPool

ERROR_KEYS = {"error", "message", "statusCode", "details"}
EMAIL = "new-owner@portfolio.example"
TEMPORARY = "Temp-Passw0rd!"
PASSWORD = "Brand-N3w-Pass!"


@pytest.fixture
def mfa_required(cognito_pool: CognitoPool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool with TOTP MFA required of everyone, and an invited owner who never set up an
    app and still has a temporary password."""
    enable_totp(cognito_pool, monkeypatch, mfa="ON")
    idp = cognito_pool.client
    idp.admin_create_user(
        UserPoolId=cognito_pool.pool_id,
        Username=EMAIL,
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": EMAIL}],
    )
    idp.admin_add_user_to_group(UserPoolId=cognito_pool.pool_id, Username=EMAIL, GroupName="owner")


def login(client: TestClient, password: str = TEMPORARY) -> Any:
    return client.post("/v1/auth/login", json={"email": EMAIL, "password": password})


def challenge(client: TestClient, **fields: str) -> Any:
    return client.post("/v1/auth/challenge", json={"email": EMAIL, **fields})


def setup_session(client: TestClient) -> str:
    """The session of the MFA_SETUP challenge that follows the first password."""
    first = login(client).json()["details"]["session"]
    response = challenge(client, session=first, newPassword=PASSWORD)
    assert response.status_code == 409, response.text
    assert response.json()["details"]["challenge"] == "MFA_SETUP"
    session: str = response.json()["details"]["session"]
    return session


def test_a_new_password_is_followed_by_the_mfa_setup_challenge(
    client: TestClient, mfa_required: None
) -> None:
    first = login(client).json()["details"]["session"]
    response = challenge(client, session=first, newPassword=PASSWORD)
    assert response.status_code == 409
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["details"]["challenge"] == "MFA_SETUP"
    assert body["details"]["session"]
    assert "authenticator app" in body["message"]


def test_answering_without_a_code_returns_the_apps_secret_and_the_next_session(
    client: TestClient,
    mfa_required: None,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with caplog.at_level(logging.DEBUG, logger="portfolio_api"):
        response = challenge(client, challenge="MFA_SETUP", session=setup_session(client))
    assert response.status_code == 409
    details = response.json()["details"]
    assert set(details) == {"challenge", "session", "secretCode", "otpauthUri"}
    assert details["challenge"] == "MFA_SETUP"
    uri = urlsplit(details["otpauthUri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert uri.path == "/Portfolio%20API%3Anew-owner%40portfolio.example"
    assert parse_qs(uri.query) == {"secret": [details["secretCode"]], "issuer": ["Portfolio API"]}
    logged = caplog.text + capsys.readouterr().out
    assert "request" in logged
    assert details["secretCode"] not in logged


def test_the_apps_first_code_completes_the_login_and_guards_the_next_one(
    client: TestClient, mfa_required: None
) -> None:
    started = challenge(client, challenge="MFA_SETUP", session=setup_session(client)).json()
    secret, session = started["details"]["secretCode"], started["details"]["session"]

    response = challenge(client, challenge="MFA_SETUP", session=session, code=current_code(secret))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["email"] == EMAIL
    me = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200

    again = login(client, PASSWORD)
    assert again.status_code == 409
    assert again.json()["details"]["challenge"] == "SOFTWARE_TOKEN_MFA"
    answer = challenge(
        client,
        challenge="SOFTWARE_TOKEN_MFA",
        session=again.json()["details"]["session"],
        code=current_code(secret),
    )
    assert answer.status_code == 200


def test_a_wrong_first_code_is_401_and_gives_no_tokens(
    client: TestClient, mfa_required: None
) -> None:
    started = challenge(client, challenge="MFA_SETUP", session=setup_session(client)).json()
    code = current_code(started["details"]["secretCode"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = challenge(
        client, challenge="MFA_SETUP", session=started["details"]["session"], code=wrong
    )
    assert response.status_code == 401
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert "log in again" in body["message"]
    assert "token" not in body


@pytest.mark.parametrize("code", [None, "123456"])
def test_a_session_cognito_never_issued_is_401_at_either_step(
    client: TestClient, mfa_required: None, code: str | None
) -> None:
    fields = {"code": code} if code else {}
    response = challenge(client, challenge="MFA_SETUP", session="x" * 40, **fields)
    assert response.status_code == 401
    assert response.json()["message"] == (
        "The challenge session is invalid or has expired; log in again"
    )


def test_a_new_password_does_not_answer_mfa_setup(client: TestClient, mfa_required: None) -> None:
    response = challenge(
        client, challenge="MFA_SETUP", session=setup_session(client), newPassword=PASSWORD
    )
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
