"""Fixtures for the auth tests: tokens signed with moto's key, and a local JWKS server.

- `sign_token(claims, **header)`: a JWT signed with moto's Cognito private key (kid `dummy`),
  so it verifies unless a claim or the header is wrong on purpose.
- `owner_claims(token_use="id")`: the claims of a valid owner token for the test pool;
  tweak a copy to build each attack.
- `probe_client`: the app with two probe routes guarded by `CurrentOwner`/`OptionalOwner`.
- `jwks_server`: a 127.0.0.1 HTTP server serving a JWK set it counts requests for; it can be
  switched to fail, and is shut down when the test ends.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwk, jwt
from moto.utilities.utils import load_resource

from portfolio_api.auth.dependencies import CurrentOwner, OptionalOwner
from tests.conftest import TEST_REGION, CognitoPool

MOTO_PRIVATE_JWK: dict[str, Any] = load_resource("cognitoidp/resources/jwks-private.json")
MOTO_PUBLIC_JWKS: dict[str, Any] = load_resource("cognitoidp/resources/jwks-public.json")
MOTO_KID = "dummy"
# moto's JWK has no CRT parameters, so building the key recovers the primes: do it once.
MOTO_SIGNING_KEY = jwk.construct(MOTO_PRIVATE_JWK, algorithm="RS256")

SignToken = Callable[..., str]
OwnerClaims = Callable[..., dict[str, Any]]


@pytest.fixture
def sign_token() -> SignToken:
    """Sign `claims` with moto's private key; keyword arguments override header fields."""

    def sign(claims: dict[str, Any], **header: Any) -> str:
        headers = {"kid": MOTO_KID, **header}
        return jwt.encode(claims, MOTO_SIGNING_KEY, algorithm="RS256", headers=headers)

    return sign


@pytest.fixture
def owner_claims(cognito_pool: CognitoPool) -> OwnerClaims:
    """Claims of a valid, unexpired owner token of the test pool and app client."""

    def claims(token_use: str = "id") -> dict[str, Any]:  # noqa: S107 - a claim value
        now = int(time.time())
        base: dict[str, Any] = {
            "iss": f"https://cognito-idp.{TEST_REGION}.amazonaws.com/{cognito_pool.pool_id}",
            "sub": "owner-sub",
            "token_use": token_use,
            "iat": now,
            "auth_time": now,
            "exp": now + 600,
            "cognito:groups": ["owner"],
        }
        if token_use == "id":
            base |= {
                "aud": cognito_pool.client_id,
                "cognito:username": "owner-sub",
                "email": cognito_pool.owner_email,
                "name": cognito_pool.owner_name,
            }
        else:
            base |= {"client_id": cognito_pool.client_id, "username": "owner-sub"}
        return base

    return claims


class JwksServer:
    """A JWK set at `url`, with a request counter and a switch to answer 500."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.hits = 0
        self.failing = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits += 1
                if server.failing:
                    self.send_error(500)
                    return
                body = json.dumps(server.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._httpd.server_port}/.well-known/jwks.json"

    def __enter__(self) -> JwksServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    """moto's public JWK set served over HTTP on 127.0.0.1, stopped after the test."""
    with JwksServer(json.loads(json.dumps(MOTO_PUBLIC_JWKS))) as server:
        yield server


@pytest.fixture
def probe_client(app: FastAPI) -> Iterator[TestClient]:
    """The real app plus two routes that use `CurrentOwner` and `OptionalOwner` as other
    features will: `/probe/owner` and `/probe/optional` answer `{"owner": <id or null>}`."""

    @app.get("/probe/owner")
    def owner_only(owner: CurrentOwner) -> dict[str, str | None]:
        return {"owner": owner.id}

    @app.get("/probe/optional")
    def public(owner: OptionalOwner) -> dict[str, str | None]:
        return {"owner": owner.id if owner else None}

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
