"""A token that was sent but proves nothing, on the content lists: a 401 when it asks for
drafts (so a dashboard learns that its session ended), anonymous on the public list."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from tests.auth.conftest import OwnerClaims, SignToken

LISTS = ["/v1/blog/posts", "/v1/projects", "/v1/certifications"]
ERROR_KEYS = {"error", "message", "statusCode", "details"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _assert_session_ended(response: object, message: str) -> None:
    assert response.status_code == 401, response.text  # type: ignore[attr-defined]
    assert response.headers["www-authenticate"] == "Bearer"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == ERROR_KEYS
    assert body["message"] == message


@pytest.fixture
def expired_token(sign_token: SignToken, owner_claims: OwnerClaims) -> str:
    """An owner ID token, genuine but an hour past its expiry."""
    return sign_token({**owner_claims(), "exp": int(time.time()) - 3600})


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("status", ["draft", "all"])
def test_an_expired_owner_token_asking_for_drafts_is_401(
    client: TestClient, expired_token: str, path: str, status: str
) -> None:
    response = client.get(path, params={"status": status}, headers=_bearer(expired_token))
    _assert_session_ended(response, "Authentication token has expired")


@pytest.mark.parametrize("status", ["draft", "all"])
def test_a_signed_out_owner_token_asking_for_drafts_is_401(
    client: TestClient, owner_headers: dict[str, str], status: str
) -> None:
    assert client.get("/v1/blog/posts", params={"status": status}, headers=owner_headers).is_success
    assert client.post("/v1/auth/logout", headers=owner_headers).status_code == 200
    response = client.get("/v1/blog/posts", params={"status": status}, headers=owner_headers)
    _assert_session_ended(response, "This session was signed out; log in again")


@pytest.mark.parametrize("authorization", ["Bearer garbage", "Basic Zm9vOmJhcg==", "Bearer"])
def test_a_malformed_token_asking_for_drafts_is_401(client: TestClient, authorization: str) -> None:
    response = client.get(
        "/v1/blog/posts", params={"status": "all"}, headers={"Authorization": authorization}
    )
    _assert_session_ended(response, "Authentication token is missing or invalid")


def test_no_token_asking_for_drafts_is_403(client: TestClient) -> None:
    response = client.get("/v1/blog/posts", params={"status": "draft"})
    assert response.status_code == 403
    assert response.json()["details"] == {"field": "status"}


def test_a_non_owners_valid_token_asking_for_drafts_is_403(
    client: TestClient, non_owner_headers: dict[str, str]
) -> None:
    response = client.get("/v1/blog/posts", params={"status": "all"}, headers=non_owner_headers)
    assert response.status_code == 403
    assert "www-authenticate" not in response.headers


@pytest.mark.parametrize("path", LISTS)
def test_a_stale_token_on_the_public_list_reads_it_as_anyone(
    client: TestClient, expired_token: str, path: str
) -> None:
    response = client.get(path, headers=_bearer(expired_token))
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")


def test_a_signed_out_token_on_the_public_list_reads_it_as_anyone(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    assert client.post("/v1/auth/logout", headers=owner_headers).status_code == 200
    response = client.get("/v1/blog/posts", params={"status": "published"}, headers=owner_headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")
