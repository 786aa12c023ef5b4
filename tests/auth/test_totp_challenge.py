"""An owner with an authenticator app (TOTP MFA) logs in in two steps: the password gets a 409
SOFTWARE_TOKEN_MFA challenge, the app's current code answers it. moto checks the codes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from moto.cognitoidp.utils import cognito_totp

from tests.conftest import OWNER_EMAIL, OWNER_PASSWORD, CognitoPool

ERROR_KEYS = {"error", "message", "statusCode", "details"}


def current_code(secret: str) -> str:
    """The authenticator's code now, never within 2 s of the end of its 30 s window."""
    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)
    return str(cognito_totp(secret).generate(int(time.time())).decode())


def enable_totp(pool: CognitoPool, monkeypatch: pytest.MonkeyPatch, *, mfa: str) -> None:
    """TOTP MFA on the pool (`mfa` is OPTIONAL or ON), with moto checking the codes."""
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    pool.client.set_user_pool_mfa_config(
        UserPoolId=pool.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration=mfa,
    )


@pytest.fixture
def totp_secret(cognito_pool: CognitoPool, monkeypatch: pytest.MonkeyPatch) -> str:
    """The owner's authenticator secret, after setting it up as their preferred MFA."""
    enable_totp(cognito_pool, monkeypatch, mfa="OPTIONAL")
    idp = cognito_pool.client
    access = cognito_pool.login(OWNER_EMAIL, OWNER_PASSWORD)["AccessToken"]
    secret: str = idp.associate_software_token(AccessToken=access)["SecretCode"]
    idp.verify_software_token(AccessToken=access, UserCode=current_code(secret))
    idp.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    return secret


def login(client: TestClient) -> Any:
    return client.post("/v1/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})


def answer(client: TestClient, session: str, **fields: str) -> Any:
    body = {"challenge": "SOFTWARE_TOKEN_MFA", "email": OWNER_EMAIL, "session": session}
    return client.post("/v1/auth/challenge", json={**body, **fields})


def test_the_password_alone_gets_the_totp_challenge(client: TestClient, totp_secret: str) -> None:
    response = login(client)
    assert response.status_code == 409
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["details"]["challenge"] == "SOFTWARE_TOKEN_MFA"
    assert body["details"]["session"]
    assert "authenticator" in body["message"]


def test_the_current_code_completes_the_login(client: TestClient, totp_secret: str) -> None:
    session = login(client).json()["details"]["session"]
    response = answer(client, session, code=current_code(totp_secret))
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == OWNER_EMAIL
    me = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200


def test_a_wrong_code_is_401_and_gives_no_tokens(client: TestClient, totp_secret: str) -> None:
    session = login(client).json()["details"]["session"]
    code = current_code(totp_secret)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = answer(client, session, code=wrong)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert "code" in body["message"]
    assert "token" not in body


@pytest.mark.parametrize(
    "fields",
    [{}, {"code": "12345"}, {"code": "abcdef"}, {"code": "123456", "newPassword": "Brand-N3w!"}],
    ids=["no code", "five digits", "letters", "code and password"],
)
def test_a_malformed_answer_is_400(
    client: TestClient, totp_secret: str, fields: dict[str, str]
) -> None:
    session = login(client).json()["details"]["session"]
    response = answer(client, session, **fields)
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS


def test_a_new_password_answer_still_needs_its_password(client: TestClient) -> None:
    response = client.post(
        "/v1/auth/challenge",
        json={"email": OWNER_EMAIL, "session": "s" * 40, "code": "123456"},
    )
    assert response.status_code == 400
    assert "newPassword" in response.text


# --- Enrolment through the API (POST /v1/auth/mfa/totp, then .../verify) ------------------


@pytest.fixture
def access_headers(cognito_pool: CognitoPool, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The owner's login access token as bearer; moto checks TOTP codes."""
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    access = cognito_pool.login(OWNER_EMAIL, OWNER_PASSWORD)["AccessToken"]
    return {"Authorization": f"Bearer {access}"}


def test_setup_gives_a_secret_and_an_otpauth_uri_for_a_qr_code(
    client: TestClient, access_headers: dict[str, str]
) -> None:
    response = client.post("/v1/auth/mfa/totp", headers=access_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["otpauthUri"].startswith("otpauth://totp/Portfolio%20API%3Aowner%40")
    assert f"secret={body['secretCode']}" in body["otpauthUri"]
    assert login(client).status_code == 200  # nothing changes before the code is confirmed


def test_a_confirmed_app_makes_every_login_ask_for_its_code(
    client: TestClient, access_headers: dict[str, str]
) -> None:
    secret = client.post("/v1/auth/mfa/totp", headers=access_headers).json()["secretCode"]
    response = client.post(
        "/v1/auth/mfa/totp/verify", json={"code": current_code(secret)}, headers=access_headers
    )
    assert response.status_code == 200
    challenged = login(client)
    assert challenged.status_code == 409
    session = challenged.json()["details"]["session"]
    assert answer(client, session, code=current_code(secret)).status_code == 200


def test_a_wrong_confirmation_code_is_400_and_leaves_mfa_off(
    client: TestClient, access_headers: dict[str, str]
) -> None:
    secret = client.post("/v1/auth/mfa/totp", headers=access_headers).json()["secretCode"]
    wrong = f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/v1/auth/mfa/totp/verify", json={"code": wrong}, headers=access_headers)
    assert response.status_code == 400
    assert response.json()["details"] == {"field": "code"}
    assert login(client).status_code == 200


def test_a_token_alone_cannot_replace_an_app_already_set_up(
    client: TestClient, totp_secret: str
) -> None:
    # A stolen access token must not be enough to put another app in place of the owner's.
    session = login(client).json()["details"]["session"]
    tokens = answer(client, session, code=current_code(totp_secret)).json()
    headers = {"Authorization": f"Bearer {tokens['accessToken']}"}
    response = client.post("/v1/auth/mfa/totp", headers=headers)
    assert response.status_code == 409
    assert "administrator" in response.json()["message"]
    again = login(client).json()["details"]["session"]  # the owner's app still works
    assert answer(client, again, code=current_code(totp_secret)).status_code == 200


@pytest.mark.parametrize("path", ["/v1/auth/mfa/totp", "/v1/auth/mfa/totp/verify"])
def test_setup_with_the_id_token_is_400_naming_the_access_token(
    client: TestClient, owner_headers: dict[str, str], path: str
) -> None:
    response = client.post(path, json={"code": "123456"}, headers=owner_headers)
    assert response.status_code == 400
    assert "accessToken" in response.json()["message"]


@pytest.mark.parametrize("path", ["/v1/auth/mfa/totp", "/v1/auth/mfa/totp/verify"])
def test_setup_is_for_the_owner_only(
    client: TestClient, non_owner_headers: dict[str, str], path: str
) -> None:
    assert client.post(path, json={"code": "123456"}).status_code == 401
    assert client.post(path, json={"code": "123456"}, headers=non_owner_headers).status_code == 403
