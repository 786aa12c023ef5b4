"""`CurrentOwner` and `OptionalOwner` as other features use them."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient

from tests.auth.conftest import OwnerClaims, SignToken


def test_current_owner_gives_the_route_the_owner(
    probe_client: TestClient, owner_headers: dict[str, str], owner_token: str
) -> None:
    from jose import jwt

    response = probe_client.get("/probe/owner", headers=owner_headers)
    assert response.status_code == 200
    assert response.json() == {"owner": jwt.get_unverified_claims(owner_token)["sub"]}


def test_current_owner_refuses_anonymous_callers(probe_client: TestClient) -> None:
    response = probe_client.get("/probe/owner")
    assert response.status_code == 401
    assert response.json()["message"] == "Authentication token is missing or invalid"


def test_current_owner_refuses_a_non_owner_with_403(
    probe_client: TestClient, non_owner_headers: dict[str, str]
) -> None:
    assert probe_client.get("/probe/owner", headers=non_owner_headers).status_code == 403


def test_optional_owner_is_none_for_anonymous_callers(probe_client: TestClient) -> None:
    response = probe_client.get("/probe/optional")
    assert response.status_code == 200
    assert response.json() == {"owner": None}


def test_optional_owner_is_the_owner_for_an_owner_token(
    probe_client: TestClient, sign_token: SignToken, owner_claims: OwnerClaims
) -> None:
    headers = {"Authorization": f"Bearer {sign_token(owner_claims())}"}
    assert probe_client.get("/probe/optional", headers=headers).json() == {"owner": "owner-sub"}


@pytest.mark.parametrize(
    "authorization", ["Bearer garbage", "Basic Zm9vOmJhcg==", "Bearer", "Bearer "]
)
def test_optional_owner_treats_a_token_that_proves_nothing_as_anonymous(
    probe_client: TestClient, authorization: str
) -> None:
    # Public routes: a browser with a stale or broken token still gets the public view.
    response = probe_client.get("/probe/optional", headers={"Authorization": authorization})
    assert response.status_code == 200
    assert response.json() == {"owner": None}


def test_optional_owner_treats_an_expired_owner_token_as_anonymous(
    probe_client: TestClient, sign_token: SignToken, owner_claims: OwnerClaims
) -> None:
    expired = sign_token({**owner_claims(), "exp": int(time.time()) - 3600})
    response = probe_client.get("/probe/optional", headers={"Authorization": f"Bearer {expired}"})
    assert response.json() == {"owner": None}
    assert (
        probe_client.get("/probe/owner", headers={"Authorization": f"Bearer {expired}"}).status_code
        == 401
    )  # where a dashboard learns that its session ended


def test_optional_owner_treats_a_non_owner_as_anonymous(
    probe_client: TestClient, non_owner_headers: dict[str, str]
) -> None:
    response = probe_client.get("/probe/optional", headers=non_owner_headers)
    assert response.status_code == 200
    assert response.json() == {"owner": None}


def test_importing_the_app_does_not_import_jose_or_cryptography() -> None:
    code = (
        "import sys, portfolio_api.main; "
        "print(sorted(m for m in ('jose', 'cryptography') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
