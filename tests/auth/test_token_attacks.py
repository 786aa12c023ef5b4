"""Every bearer token that is not a valid owner token of our pool and client is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from jose import jwk, jwt

from tests.auth.conftest import (
    MOTO_KID,
    MOTO_PUBLIC_JWKS,
    MOTO_SIGNING_KEY,
    OwnerClaims,
    SignToken,
)

INVALID = {
    "error": "Unauthorized",
    "message": "Authentication token is missing or invalid",
    "statusCode": 401,
    "details": None,
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _me(client: TestClient, authorization: str | None) -> Any:
    """A request to an owner-only route (`CurrentOwner`) with this Authorization header."""
    headers = {} if authorization is None else {"Authorization": authorization}
    return client.get("/probe/owner", headers=headers)


def _assert_rejected(response: Any, body: dict[str, Any] = INVALID) -> None:
    assert response.status_code == 401
    assert response.json() == body
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_signed_like_moto_is_accepted(
    probe_client: TestClient, sign_token: SignToken, owner_claims: OwnerClaims
) -> None:
    """The control: the forged tokens below differ from this one in one respect each."""
    for token_use in ("id", "access"):
        response = _me(probe_client, f"Bearer {sign_token(owner_claims(token_use))}")
        assert response.status_code == 200, token_use
        assert response.json() == {"owner": "owner-sub"}


def test_alg_none_is_rejected(probe_client: TestClient, owner_claims: OwnerClaims) -> None:
    token = _unsigned({"alg": "none", "kid": MOTO_KID, "typ": "JWT"}, owner_claims()) + "."
    _assert_rejected(_me(probe_client, f"Bearer {token}"))


def test_hs256_signed_with_the_public_key_is_rejected(
    probe_client: TestClient, owner_claims: OwnerClaims
) -> None:
    public_pem = jwk.construct(MOTO_PUBLIC_JWKS["keys"][0], "RS256").to_pem()
    signing_input = _unsigned({"alg": "HS256", "kid": MOTO_KID, "typ": "JWT"}, owner_claims())
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    _assert_rejected(_me(probe_client, f"Bearer {signing_input}.{_b64(signature)}"))


def test_a_token_signed_by_another_key_with_moto_kid_is_rejected(
    probe_client: TestClient, owner_claims: OwnerClaims
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    token = jwt.encode(owner_claims(), pem, algorithm="RS256", headers={"kid": MOTO_KID})
    _assert_rejected(_me(probe_client, f"Bearer {token}"))


def test_an_unknown_kid_is_rejected(
    probe_client: TestClient, sign_token: SignToken, owner_claims: OwnerClaims
) -> None:
    _assert_rejected(_me(probe_client, f"Bearer {sign_token(owner_claims(), kid='rotated-away')}"))


def test_a_token_without_kid_is_rejected(
    probe_client: TestClient, owner_claims: OwnerClaims
) -> None:
    token = jwt.encode(owner_claims(), MOTO_SIGNING_KEY, algorithm="RS256")
    assert "kid" not in jwt.get_unverified_header(token)
    _assert_rejected(_me(probe_client, f"Bearer {token}"))


def test_an_expired_token_is_rejected_as_expired(
    probe_client: TestClient, sign_token: SignToken, owner_claims: OwnerClaims
) -> None:
    claims = owner_claims() | {"exp": int(time.time()) - 120}
    _assert_rejected(
        _me(probe_client, f"Bearer {sign_token(claims)}"),
        INVALID | {"message": "Authentication token has expired"},
    )


def test_a_token_expired_within_the_clock_skew_is_accepted(
    probe_client: TestClient, sign_token: SignToken, owner_claims: OwnerClaims
) -> None:
    claims = owner_claims() | {"exp": int(time.time()) - 5}
    assert _me(probe_client, f"Bearer {sign_token(claims)}").status_code == 200


@pytest.mark.parametrize(
    ("token_use", "change"),
    [
        ("id", {"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}),
        ("id", {"iss": "https://evil.example/us-east-1_pool"}),
        ("id", {"aud": "another-app-client"}),
        ("access", {"client_id": "another-app-client"}),
        ("id", {"token_use": "refresh"}),
        ("id", {"token_use": None}),
        ("id", {"exp": None}),
        ("id", {"sub": None}),
        ("id", {"cognito:groups": "owner"}),
    ],
    ids=[
        "issuer-of-another-pool",
        "foreign-issuer",
        "id-token-of-another-client",
        "access-token-of-another-client",
        "token-use-refresh",
        "no-token-use",
        "no-exp",
        "no-sub",
        "groups-not-a-list",
    ],
)
def test_a_validly_signed_token_with_a_wrong_claim_is_rejected(
    probe_client: TestClient,
    sign_token: SignToken,
    owner_claims: OwnerClaims,
    token_use: str,
    change: dict[str, Any],
) -> None:
    claims = owner_claims(token_use) | change
    claims = {name: value for name, value in claims.items() if value is not None}
    _assert_rejected(_me(probe_client, f"Bearer {sign_token(claims)}"))


def test_a_signature_altered_by_one_byte_is_rejected(
    probe_client: TestClient, owner_token: str
) -> None:
    head, payload, signature = owner_token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[len(raw) // 2] ^= 0x01
    _assert_rejected(_me(probe_client, f"Bearer {head}.{payload}.{_b64(bytes(raw))}"))


def test_a_payload_altered_after_signing_is_rejected(
    probe_client: TestClient, owner_token: str
) -> None:
    head, payload, signature = owner_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["exp"] += 86_400
    forged = f"{head}.{_b64(json.dumps(claims).encode())}.{signature}"
    _assert_rejected(_me(probe_client, f"Bearer {forged}"))


def test_a_refresh_token_as_bearer_is_rejected(
    probe_client: TestClient, owner_tokens: dict[str, Any]
) -> None:
    _assert_rejected(_me(probe_client, f"Bearer {owner_tokens['RefreshToken']}"))


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9..", "....", "x" * 5000],
    ids=["word", "three-dots", "empty-parts", "only-dots", "huge"],
)
def test_garbage_as_bearer_is_rejected(probe_client: TestClient, token: str) -> None:
    _assert_rejected(_me(probe_client, f"Bearer {token}"))


def test_a_valid_token_of_a_non_owner_is_403(
    probe_client: TestClient, non_owner_headers: dict[str, str]
) -> None:
    response = probe_client.get("/v1/auth/me", headers=non_owner_headers)
    assert response.status_code == 403
    assert response.json() == {
        "error": "Forbidden",
        "message": "You do not have permission to perform this action",
        "statusCode": 403,
        "details": None,
    }
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_an_owner_token_without_the_group_claim_is_403(
    probe_client: TestClient, sign_token: SignToken, owner_claims: OwnerClaims
) -> None:
    claims = owner_claims("access")
    del claims["cognito:groups"]
    assert _me(probe_client, f"Bearer {sign_token(claims)}").status_code == 403


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic b3duZXI6cGFzcw==", "Token abc", "bearer"],
    ids=["missing", "empty", "scheme-only", "scheme-and-space", "basic", "other-scheme", "lower"],
)
def test_a_missing_or_malformed_authorization_header_is_401(
    probe_client: TestClient, authorization: str | None
) -> None:
    _assert_rejected(_me(probe_client, authorization))


def test_the_bearer_scheme_is_case_insensitive(probe_client: TestClient, owner_token: str) -> None:
    assert _me(probe_client, f"bearer {owner_token}").status_code == 200
