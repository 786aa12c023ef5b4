"""Login, refresh, challenge, logout and /me through the real app and moto's Cognito."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jose import jwt

from tests.conftest import OWNER_EMAIL, OWNER_NAME, OWNER_PASSWORD, CognitoPool

ERROR_KEYS = {"error", "message", "statusCode", "details"}


def _login(client: TestClient, email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD) -> Any:
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_returns_the_user_and_the_id_token_as_token(client: TestClient) -> None:
    response = _login(client)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"user", "token", "accessToken", "refreshToken", "expiresIn"}
    assert body["user"]["email"] == OWNER_EMAIL
    assert body["user"]["name"] == OWNER_NAME
    assert body["user"]["role"] == "owner"
    assert body["expiresIn"] > 0
    claims = jwt.get_unverified_claims(body["token"])
    assert claims["token_use"] == "id"
    assert body["user"]["id"] == claims["sub"]
    assert jwt.get_unverified_claims(body["accessToken"])["token_use"] == "access"


def test_login_token_authenticates_me(client: TestClient) -> None:
    token = _login(client).json()["token"]
    response = client.get("/v1/auth/me", headers=_bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "id": jwt.get_unverified_claims(token)["sub"],
        "email": OWNER_EMAIL,
        "name": OWNER_NAME,
        "role": "owner",
    }


def test_me_with_the_access_token_reads_email_and_name_from_cognito(client: TestClient) -> None:
    access_token = _login(client).json()["accessToken"]
    response = client.get("/v1/auth/me", headers=_bearer(access_token))
    assert response.status_code == 200
    assert response.json()["email"] == OWNER_EMAIL
    assert response.json()["name"] == OWNER_NAME


def test_me_works_with_the_shared_owner_headers(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    response = client.get("/v1/auth/me", headers=owner_headers)
    assert response.status_code == 200
    assert response.json()["role"] == "owner"


@pytest.mark.parametrize(
    ("email", "password"),
    [(OWNER_EMAIL, "Wrong-Passw0rd!"), ("nobody@portfolio.example", "Wrong-Passw0rd!")],
    ids=["wrong-password", "unknown-user"],
)
def test_wrong_credentials_are_401_with_one_message(
    client: TestClient, email: str, password: str
) -> None:
    response = _login(client, email, password)
    assert response.status_code == 401
    assert response.json() == {
        "error": "Unauthorized",
        "message": "Invalid email or password",
        "statusCode": 401,
        "details": None,
    }
    assert response.headers["www-authenticate"] == "Bearer"


def test_login_of_a_non_owner_is_403_without_tokens(
    client: TestClient, cognito_pool: CognitoPool
) -> None:
    cognito_pool.add_user("guest@portfolio.example", "Guest-Passw0rd!")
    response = _login(client, "guest@portfolio.example", "Guest-Passw0rd!")
    assert response.status_code == 403
    assert set(response.json()) == ERROR_KEYS
    assert "token" not in response.text


def test_login_of_an_unconfirmed_user_is_403_with_a_clear_message(
    client: TestClient, cognito_pool: CognitoPool
) -> None:
    cognito_pool.client.sign_up(
        ClientId=cognito_pool.client_id, Username="new@portfolio.example", Password="New-Passw0rd!"
    )
    response = _login(client, "new@portfolio.example", "New-Passw0rd!")
    assert response.status_code == 403
    assert response.json()["message"] == "The account is not confirmed yet"


def test_login_body_is_validated_without_echoing_the_password(client: TestClient) -> None:
    response = client.post(
        "/v1/auth/login", json={"email": "not-an-email", "password": "Sup3r-Secret!"}
    )
    assert response.status_code == 400
    assert response.json()["details"]["fields"][0]["field"] == "body.email"
    assert "Sup3r-Secret!" not in response.text


def test_refresh_returns_new_tokens(client: TestClient) -> None:
    refresh_token = _login(client).json()["refreshToken"]
    response = client.post("/v1/auth/refresh", json={"refreshToken": refresh_token})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == OWNER_EMAIL
    assert client.get("/v1/auth/me", headers=_bearer(body["token"])).status_code == 200
    assert client.get("/v1/auth/me", headers=_bearer(body["accessToken"])).status_code == 200


def test_refresh_with_an_unknown_refresh_token_is_401(client: TestClient) -> None:
    response = client.post("/v1/auth/refresh", json={"refreshToken": "not-a-refresh-token"})
    assert response.status_code == 401
    assert response.json()["message"] == "The refresh token is invalid, expired or revoked"


def test_logout_with_the_id_token_revokes_the_refresh_token(
    client: TestClient, cognito_pool: CognitoPool
) -> None:
    # The API signs out by the username (`cognito:username`, which an email change leaves as
    # it is). Real Cognito then revokes every session of the user; moto only those that logged
    # in with that very USERNAME, so this session logs in with the username, not the email.
    username = cognito_pool.client.admin_get_user(
        UserPoolId=cognito_pool.pool_id, Username=OWNER_EMAIL
    )["Username"]
    session = cognito_pool.login(username, OWNER_PASSWORD)
    response = client.post("/v1/auth/logout", headers=_bearer(session["IdToken"]))
    assert response.status_code == 200
    assert response.json() == {"message": "Successfully logged out"}
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": session["RefreshToken"]})
    assert refreshed.status_code == 401


def test_logout_with_the_access_token_uses_global_sign_out(
    client: TestClient, cognito_pool: CognitoPool
) -> None:
    session = _login(client).json()
    response = client.post("/v1/auth/logout", headers=_bearer(session["accessToken"]))
    assert response.status_code == 200
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": session["refreshToken"]})
    assert refreshed.status_code == 401
    with pytest.raises(cognito_pool.client.exceptions.NotAuthorizedException):
        cognito_pool.client.get_user(AccessToken=session["accessToken"])


def test_logout_without_a_token_is_401(client: TestClient) -> None:
    response = client.post("/v1/auth/logout")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.fixture
def invited_owner(cognito_pool: CognitoPool) -> str:
    """An admin-created owner who still has the temporary password `Temp-Passw0rd!`."""
    email = "invited@portfolio.example"
    cognito_pool.client.admin_create_user(
        UserPoolId=cognito_pool.pool_id,
        Username=email,
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    cognito_pool.client.admin_add_user_to_group(
        UserPoolId=cognito_pool.pool_id, Username=email, GroupName="owner"
    )
    return email


def test_first_login_answers_409_with_the_new_password_challenge(
    client: TestClient, invited_owner: str
) -> None:
    response = _login(client, invited_owner, "Temp-Passw0rd!")
    assert response.status_code == 409
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["details"]["challenge"] == "NEW_PASSWORD_REQUIRED"
    assert body["details"]["session"]


def test_challenge_sets_the_password_and_logs_in(client: TestClient, invited_owner: str) -> None:
    session = _login(client, invited_owner, "Temp-Passw0rd!").json()["details"]["session"]
    response = client.post(
        "/v1/auth/challenge",
        json={"email": invited_owner, "session": session, "newPassword": "Brand-N3w-Pass!"},
    )
    assert response.status_code == 200
    assert response.json()["user"]["email"] == invited_owner
    assert response.json()["refreshToken"]
    assert _login(client, invited_owner, "Brand-N3w-Pass!").status_code == 200


def test_challenge_with_a_weak_password_is_400(client: TestClient, invited_owner: str) -> None:
    session = _login(client, invited_owner, "Temp-Passw0rd!").json()["details"]["session"]
    response = client.post(
        "/v1/auth/challenge",
        json={"email": invited_owner, "session": session, "newPassword": "weak"},
    )
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS


def test_nothing_secret_reaches_the_logs(
    client: TestClient, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG, logger="portfolio_api"):
        session = _login(client).json()
        client.get("/v1/auth/me", headers=_bearer(session["token"]))
        client.post("/v1/auth/refresh", json={"refreshToken": session["refreshToken"]})
        client.post("/v1/auth/logout", headers=_bearer(session["token"]))
        _login(client, OWNER_EMAIL, "Wrong-Passw0rd!")
    logged = caplog.text + capsys.readouterr().out
    assert "request" in logged
    for secret in (OWNER_PASSWORD, "Wrong-Passw0rd!", session["token"], session["refreshToken"]):
        assert secret not in logged


def test_openapi_declares_the_bearer_scheme_for_owner_routes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The `token` (Cognito ID token) from POST /v1/auth/login",
    }
    assert schema["paths"]["/v1/auth/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert schema["paths"]["/v1/auth/me"]["get"]["operationId"] == "getCurrentUser"
    assert "security" not in schema["paths"]["/v1/auth/login"]["post"]
