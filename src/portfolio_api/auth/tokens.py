"""Verification of Cognito JWTs against the pool's JWKS, cached once per container.

`jose` and `cryptography` cost ~100 ms to import, so they are imported inside the functions
that need them: a cold start that serves only public routes never pays for them.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from portfolio_api.errors import AppError, ServiceUnavailable, Unauthorized

logger = logging.getLogger("portfolio_api.auth")

ALGORITHM = "RS256"
CLOCK_SKEW_SECONDS = 30
INVALID_TOKEN = "Authentication token is missing or invalid"  # noqa: S105 - a message
EXPIRED_TOKEN = "Authentication token has expired"  # noqa: S105 - a message
KEYS_UNAVAILABLE = "The identity provider's signing keys are unavailable; retry shortly"

_ALLOWED_SCHEMES = frozenset({"https", "http", "file"})
_MAX_JWKS_BYTES = 256 * 1024

TokenUse = Literal["id", "access"]


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """The verified claims we rely on; everything else in the token is ignored."""

    sub: str
    username: str
    token_use: TokenUse
    groups: tuple[str, ...]
    email: str | None
    name: str | None
    issued_at: int
    """`iat`: when Cognito issued the token, in whole epoch seconds."""


class Jwks:
    """The pool's signing keys: fetched on first use, refetched at most once a minute when a
    token names an unknown `kid`; known keys keep working while the endpoint is down."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 2.0,
        min_refetch_interval: float = 60.0,
        empty_retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in _ALLOWED_SCHEMES:
            raise ValueError(f"JWKS URL scheme {scheme!r} is not one of {sorted(_ALLOWED_SCHEMES)}")
        self.url = url
        self._timeout = timeout
        self._min_refetch_interval = min_refetch_interval
        self._empty_retry_interval = empty_retry_interval
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> Any:
        """The verification key for `kid`; Unauthorized if the pool has no such key."""
        with self._lock:
            key = self._keys.get(kid)
            if key is None and self._may_fetch():
                self._refresh()
                key = self._keys.get(kid)
            if key is None and not self._keys:
                raise ServiceUnavailable(KEYS_UNAVAILABLE, retry_after=5)
        if key is None:
            raise Unauthorized(INVALID_TOKEN)
        return key

    def _may_fetch(self) -> bool:
        if self._fetched_at is None:
            return True
        interval = self._min_refetch_interval if self._keys else self._empty_retry_interval
        return self._clock() - self._fetched_at >= interval

    def _refresh(self) -> None:
        self._fetched_at = self._clock()
        try:
            keys = _parse_jwks(_fetch_json(self.url, self._timeout))
        except (OSError, ValueError) as exc:
            logger.warning("JWKS fetch failed", extra={"error": type(exc).__name__})
            return
        self._keys = keys


def _fetch_json(url: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
        return json.loads(response.read(_MAX_JWKS_BYTES + 1)[:_MAX_JWKS_BYTES])


def _parse_jwks(document: Any) -> dict[str, Any]:
    """RSA signing keys by `kid`, as jose key objects bound to RS256."""
    from jose import jwk
    from jose.exceptions import JWKError

    if not isinstance(document, Mapping) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWK set")
    keys: dict[str, Any] = {}
    for entry in document["keys"]:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
            continue
        if entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        try:
            keys[entry["kid"]] = jwk.construct(dict(entry), algorithm=ALGORITHM)
        except JWKError:
            continue
    if not keys:
        raise ValueError("the JWK set holds no RS256 signing key")
    return keys


class TokenVerifier:
    """`verify` bound to one pool and app client; one per container, with its JWKS cache."""

    def __init__(self, *, jwks_url: str, issuer: str, client_id: str, pool_id: str) -> None:
        self.jwks = Jwks(jwks_url)
        self.issuer = issuer
        self.client_id = client_id
        self._configured = bool(pool_id and client_id)

    def __call__(self, token: str) -> TokenClaims:
        """The verified claims of `token`."""
        if not self._configured:
            raise AppError("Authentication is not configured: set the Cognito pool and client")
        return verify(token, jwks=self.jwks, issuer=self.issuer, client_id=self.client_id)


def verify(token: str, *, jwks: Jwks, issuer: str, client_id: str) -> TokenClaims:
    """Verify a Cognito ID or access token of our app client; Unauthorized when it is not one."""
    from jose import jwt
    from jose.exceptions import ExpiredSignatureError, JOSEError

    try:
        header = jwt.get_unverified_header(token)
    except JOSEError as exc:
        raise Unauthorized(INVALID_TOKEN) from exc
    kid = header.get("kid")
    if header.get("alg") != ALGORITHM or not isinstance(kid, str):
        raise Unauthorized(INVALID_TOKEN)
    key = jwks.key(kid)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            options={
                "verify_aud": False,  # access tokens carry `client_id`, checked below
                "verify_at_hash": False,
                "require_exp": True,
                "require_iat": True,
                "require_sub": True,
                "require_iss": True,
                "leeway": CLOCK_SKEW_SECONDS,
            },
        )
    except ExpiredSignatureError as exc:
        raise Unauthorized(EXPIRED_TOKEN) from exc
    except JOSEError as exc:
        raise Unauthorized(INVALID_TOKEN) from exc
    return _claims(claims, client_id=client_id)


def _claims(claims: Mapping[str, Any], *, client_id: str) -> TokenClaims:
    use: TokenUse
    if claims.get("token_use") == "id":
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        username = claims.get("cognito:username")
        ok = client_id in audiences
        use = "id"
    elif claims.get("token_use") == "access":
        username = claims.get("username")
        ok = claims.get("client_id") == client_id
        use = "access"
    else:
        raise Unauthorized(INVALID_TOKEN)
    sub = claims.get("sub")
    if not ok or not isinstance(sub, str) or not sub:
        raise Unauthorized(INVALID_TOKEN)
    groups = claims.get("cognito:groups") or []
    issued_at = claims.get("iat")
    if not isinstance(groups, list) or not isinstance(issued_at, int | float):
        raise Unauthorized(INVALID_TOKEN)
    return TokenClaims(
        sub=sub,
        username=username if isinstance(username, str) and username else sub,
        token_use=use,
        groups=tuple(group for group in groups if isinstance(group, str)),
        email=_optional_str(claims.get("email")),
        name=_optional_str(claims.get("name")),
        issued_at=int(issued_at),
    )


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
