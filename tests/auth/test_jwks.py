"""The JWKS cache: fetched once per container, refetched at most once a minute, resilient."""

from __future__ import annotations

import copy

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.auth.tokens import Jwks
from portfolio_api.config import Settings
from portfolio_api.errors import ServiceUnavailable, Unauthorized
from portfolio_api.main import create_app
from tests.auth.conftest import MOTO_KID, JwksServer, OwnerClaims, SignToken


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _rotated(server: JwksServer, kid: str) -> None:
    """The server now also publishes moto's key under `kid` (a key rotation)."""
    key = copy.deepcopy(server.document["keys"][0]) | {"kid": kid}
    server.document = {"keys": [*server.document["keys"], key]}


@pytest.fixture
def served_client(table: object, settings: Settings, jwks_server: JwksServer) -> TestClient:
    """The app with its JWKS served over HTTP by `jwks_server`."""
    app: FastAPI = create_app(settings.model_copy(update={"cognito_jwks_url": jwks_server.url}))
    return TestClient(app, raise_server_exceptions=False)


def test_keys_are_fetched_once_per_container(
    served_client: TestClient, jwks_server: JwksServer, owner_headers: dict[str, str]
) -> None:
    for _ in range(3):
        assert served_client.get("/v1/auth/me", headers=owner_headers).status_code == 200
    assert jwks_server.hits == 1


def test_an_unknown_kid_right_after_a_fetch_does_not_refetch(
    served_client: TestClient,
    jwks_server: JwksServer,
    owner_headers: dict[str, str],
    sign_token: SignToken,
    owner_claims: OwnerClaims,
) -> None:
    served_client.get("/v1/auth/me", headers=owner_headers)
    for kid in ("unknown-1", "unknown-2", "unknown-3"):
        headers = {"Authorization": f"Bearer {sign_token(owner_claims(), kid=kid)}"}
        assert served_client.get("/v1/auth/me", headers=headers).status_code == 401
    assert jwks_server.hits == 1


def test_no_reachable_jwks_and_no_cached_keys_is_503(
    served_client: TestClient, jwks_server: JwksServer, owner_headers: dict[str, str]
) -> None:
    jwks_server.failing = True
    response = served_client.get("/v1/auth/me", headers=owner_headers)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["error"] == "Service Unavailable"


def test_cached_keys_keep_working_when_the_jwks_endpoint_fails(
    served_client: TestClient, jwks_server: JwksServer, owner_headers: dict[str, str]
) -> None:
    assert served_client.get("/v1/auth/me", headers=owner_headers).status_code == 200
    jwks_server.failing = True
    assert served_client.get("/v1/auth/me", headers=owner_headers).status_code == 200


def test_an_unknown_kid_refetches_once_a_minute_and_finds_a_rotated_key(
    jwks_server: JwksServer,
) -> None:
    clock = FakeClock()
    jwks = Jwks(jwks_server.url, clock=clock)
    assert jwks.key(MOTO_KID) is not None
    _rotated(jwks_server, "next")
    with pytest.raises(Unauthorized):
        jwks.key("next")
    clock.now += 59
    with pytest.raises(Unauthorized):
        jwks.key("next")
    assert jwks_server.hits == 1
    clock.now += 1
    assert jwks.key("next") is not None
    assert jwks_server.hits == 2


def test_a_known_kid_never_refetches(jwks_server: JwksServer) -> None:
    clock = FakeClock()
    jwks = Jwks(jwks_server.url, clock=clock)
    jwks.key(MOTO_KID)
    clock.now += 3600
    jwks.key(MOTO_KID)
    assert jwks_server.hits == 1


def test_a_failed_first_fetch_is_retried_after_a_few_seconds(jwks_server: JwksServer) -> None:
    clock = FakeClock()
    jwks = Jwks(jwks_server.url, clock=clock)
    jwks_server.failing = True
    with pytest.raises(ServiceUnavailable):
        jwks.key(MOTO_KID)
    jwks_server.failing = False
    with pytest.raises(ServiceUnavailable):
        jwks.key(MOTO_KID)  # too soon for a new attempt
    clock.now += 5
    assert jwks.key(MOTO_KID) is not None
    assert jwks_server.hits == 2


def test_a_jwks_without_rs256_signing_keys_counts_as_unavailable(jwks_server: JwksServer) -> None:
    jwks_server.document = {"keys": [{"kid": MOTO_KID, "kty": "oct", "k": "c2VjcmV0"}]}
    with pytest.raises(ServiceUnavailable):
        Jwks(jwks_server.url).key(MOTO_KID)


def test_only_http_https_and_file_urls_are_accepted() -> None:
    with pytest.raises(ValueError, match="scheme"):
        Jwks("ftp://example.com/jwks.json")
