"""Logout takes effect at once: every ID and access token the user held before it is refused,
though Cognito's signature on them holds until they expire."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api import aws
from portfolio_api.auth import sessions
from portfolio_api.auth.service import SIGN_OUT_INCOMPLETE
from portfolio_api.auth.tokens import TokenClaims
from portfolio_api.cli import main
from portfolio_api.config import Settings
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from portfolio_api.errors import Unauthorized
from tests.conftest import OWNER_EMAIL, OWNER_PASSWORD, CognitoPool
from tests.hardening.faults import FailingProxy, dynamodb_error, fail_calls, install

ERROR_KEYS = {"error", "message", "statusCode", "details"}
SIGNED_OUT = "This session was signed out; log in again"


def _login(client: TestClient) -> Any:
    response = client.post(
        "/v1/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _next_second() -> None:
    """Wait for the next whole second: tokens carry their issue time in seconds."""
    time.sleep(1.01 - time.time() % 1)


def _assert_signed_out(response: Any) -> None:
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["message"] == SIGNED_OUT
    assert response.headers["www-authenticate"] == "Bearer"


def test_logout_refuses_the_id_and_access_tokens_of_the_session(client: TestClient) -> None:
    session = _login(client)
    _next_second()
    assert client.post("/v1/auth/logout", headers=_bearer(session["token"])).status_code == 200

    _assert_signed_out(client.get("/v1/auth/me", headers=_bearer(session["token"])))
    _assert_signed_out(client.get("/v1/auth/me", headers=_bearer(session["accessToken"])))
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(session["token"])))
    _assert_signed_out(client.post("/v1/auth/logout", headers=_bearer(session["token"])))


def test_logout_refuses_the_tokens_of_every_other_device_too(client: TestClient) -> None:
    laptop, phone = _login(client), _login(client)
    _next_second()
    assert client.post("/v1/auth/logout", headers=_bearer(laptop["accessToken"])).status_code == 200
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(phone["token"])))
    # The refresh tokens are revoked by Cognito: no new tokens from them either.
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": phone["refreshToken"]})
    assert refreshed.status_code == 401


def test_a_signed_out_token_on_a_public_route_shows_only_the_public_view(
    client: TestClient,
) -> None:
    session = _login(client)
    draft = client.post(
        "/v1/blog/posts",
        json={"title": "Draft", "excerpt": "x", "content": "x", "category": "c", "tags": ["t"]},
        headers=_bearer(session["token"]),
    )
    assert draft.status_code == 201
    owner = _bearer(session["token"])
    listed = client.get("/v1/blog/posts", params={"status": "all"}, headers=owner)
    assert listed.json()["total"] == 1  # the owner sees the draft
    _next_second()
    client.post("/v1/auth/logout", headers=_bearer(session["token"]))
    public = client.get("/v1/blog/posts", headers=_bearer(session["token"]))
    assert (public.status_code, public.json()["total"]) == (200, 0)
    _assert_signed_out(client.get("/v1/auth/me", headers=_bearer(session["token"])))


def test_a_login_after_logout_gets_tokens_that_work(client: TestClient) -> None:
    old = _login(client)
    _next_second()
    client.post("/v1/auth/logout", headers=_bearer(old["token"]))
    _next_second()
    new = _login(client)
    assert client.get("/v1/auth/me", headers=_bearer(new["token"])).status_code == 200
    assert client.get("/v1/tasks", headers=_bearer(new["token"])).status_code == 200


def test_a_logout_retried_after_the_table_was_busy_signs_out_everywhere(
    client: TestClient, app: FastAPI, table: Table
) -> None:
    laptop, phone = _login(client), _login(client)
    _next_second()
    throttled = dynamodb_error(table.client, "ProvisionedThroughputExceededException", "PutItem")
    install(app, table, FailingProxy(table.client, fail_on={"put_item": throttled}, times=1))

    first = client.post("/v1/auth/logout", headers=_bearer(laptop["accessToken"]))
    assert first.status_code == 503
    # Nothing was done, so the same token may retry, and the retry completes the logout.
    retry = client.post("/v1/auth/logout", headers=_bearer(laptop["accessToken"]))
    assert retry.status_code == 200, retry.text
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(phone["token"])))
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": phone["refreshToken"]})
    assert refreshed.status_code == 401


@pytest.mark.parametrize(
    "outside",
    [
        pytest.param("admin_user_global_sign_out", id="signed-out-by-an-administrator"),
        pytest.param("admin_disable_user", id="user-disabled"),
    ],
)
def test_a_logout_after_cognito_already_revoked_the_token_is_recorded(
    client: TestClient, cognito_pool: CognitoPool, outside: str
) -> None:
    session = _login(client)
    _next_second()
    getattr(cognito_pool.client, outside)(UserPoolId=cognito_pool.pool_id, Username=OWNER_EMAIL)
    # GlobalSignOut refuses the revoked access token (NotAuthorized): nothing left to revoke.
    response = client.post("/v1/auth/logout", headers=_bearer(session["accessToken"]))
    assert response.status_code == 200, response.text
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(session["token"])))


def test_a_logout_with_the_id_token_after_the_email_changed_signs_out_everywhere(
    client: TestClient, settings: Settings, cognito_pool: CognitoPool
) -> None:
    session = _login(client)
    _next_second()
    renamed = "renamed@portfolio.example"
    cognito_pool.client.admin_update_user_attributes(
        UserPoolId=cognito_pool.pool_id,
        Username=OWNER_EMAIL,
        UserAttributes=[{"Name": "email", "Value": renamed}],
    )
    signed_out: list[str] = []
    cognito = aws.cognito_client(settings)
    event = "provide-client-params.cognito-identity-provider.AdminUserGlobalSignOut"
    cognito.meta.events.register(event, lambda params, **_: signed_out.append(params["Username"]))

    response = client.post("/v1/auth/logout", headers=_bearer(session["token"]))

    assert response.status_code == 200, response.text
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(session["token"])))
    # Cognito signed out the user by the username, which the email change left as it was.
    username = cognito_pool.client.admin_get_user(UserPoolId=cognito_pool.pool_id, Username=renamed)
    assert signed_out == [username["Username"]]


def test_a_logout_that_cognito_cannot_complete_still_refuses_the_tokens_and_says_so(
    client: TestClient, settings: Settings
) -> None:
    session = _login(client)
    _next_second()
    fail_calls(aws.cognito_client(settings), "GlobalSignOut", "TooManyRequestsException")
    response = client.post("/v1/auth/logout", headers=_bearer(session["accessToken"]))
    assert response.status_code == 503
    assert response.json()["message"] == SIGN_OUT_INCOMPLETE
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(session["token"])))


def test_tokens_refreshed_while_cognito_signs_out_are_refused_too(
    client: TestClient, settings: Settings, cognito_pool: CognitoPool
) -> None:
    laptop, phone = _login(client), _login(client)
    _next_second()
    cognito = aws.cognito_client(settings)
    minted: list[str] = []

    def refresh_first(**_: Any) -> None:
        # The phone refreshes after the logout is first recorded, before Cognito revokes.
        _next_second()
        result = cognito_pool.client.initiate_auth(
            ClientId=cognito_pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": phone["refreshToken"]},
        )
        minted.append(result["AuthenticationResult"]["IdToken"])

    cognito.meta.events.register(
        "before-call.cognito-identity-provider.GlobalSignOut", refresh_first
    )
    try:
        response = client.post("/v1/auth/logout", headers=_bearer(laptop["accessToken"]))
    finally:
        cognito.meta.events.unregister(
            "before-call.cognito-identity-provider.GlobalSignOut", refresh_first
        )
    assert response.status_code == 200, response.text
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(minted[0])))


def test_signing_out_another_user_changes_nothing_for_the_owner(
    client: TestClient, table: Table, cognito_pool: CognitoPool
) -> None:
    session = _login(client)
    _next_second()
    sessions.record_sign_out(table=table, sub="someone-else", at=datetime.now(UTC))
    assert client.get("/v1/tasks", headers=_bearer(session["token"])).status_code == 200


def _claims(issued_at: datetime) -> TokenClaims:
    return TokenClaims(
        sub="user-1",
        username="user-1",
        token_use="id",
        groups=("owner",),
        email=None,
        name=None,
        issued_at=int(issued_at.timestamp()),
    )


LOGOUT = datetime(2026, 11, 22, 9, 0, 0, 400_000, tzinfo=UTC)


@pytest.mark.parametrize(
    "issued", [LOGOUT - timedelta(minutes=20), LOGOUT.replace(microsecond=0)], ids=str
)
def test_a_token_issued_before_or_in_the_second_of_the_logout_is_refused(
    table: Table, issued: datetime
) -> None:
    sessions.record_sign_out(table=table, sub="user-1", at=LOGOUT)
    with pytest.raises(Unauthorized, match=SIGNED_OUT):
        sessions.ensure_not_signed_out(table=table, claims=_claims(issued))


def test_a_token_issued_the_second_after_the_logout_is_accepted(table: Table) -> None:
    sessions.record_sign_out(table=table, sub="user-1", at=LOGOUT)
    sessions.ensure_not_signed_out(table=table, claims=_claims(LOGOUT + timedelta(seconds=1)))


def test_an_earlier_logout_never_replaces_a_later_one(table: Table) -> None:
    later = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    sessions.record_sign_out(table=table, sub="user-1", at=later)
    sessions.record_sign_out(table=table, sub="user-1", at=later - timedelta(hours=1))
    stored = table.get(keys.user_sign_out("user-1"))
    assert stored == {**keys.user_sign_out("user-1"), "atMs": int(later.timestamp() * 1000)}


def test_the_sign_out_command_ends_every_session_of_the_user(
    client: TestClient,
    table: Table,
    cognito_pool: CognitoPool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = _login(client)
    _next_second()
    monkeypatch.setenv("COGNITO_USER_POOL_ID", cognito_pool.pool_id)
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", "some-other-table")

    assert main(["sign-out", OWNER_EMAIL, "--table", table.name]) == 0

    assert capsys.readouterr().out.startswith(f"signed out {OWNER_EMAIL}: refresh tokens revoked")
    _assert_signed_out(client.get("/v1/tasks", headers=_bearer(session["token"])))
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": session["refreshToken"]})
    assert refreshed.status_code == 401
    _next_second()
    assert client.get("/v1/tasks", headers=_bearer(_login(client)["token"])).status_code == 200


def test_the_sign_out_command_names_an_unknown_user(
    table: Table,
    cognito_pool: CognitoPool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COGNITO_USER_POOL_ID", cognito_pool.pool_id)
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", table.name)
    assert main(["sign-out", "nobody@portfolio.example"]) == 2
    assert "no user 'nobody@portfolio.example'" in capsys.readouterr().err
    assert table.client.scan(TableName=table.name)["Items"] == []  # nothing recorded
