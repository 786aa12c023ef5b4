"""How routes learn who is calling: `CurrentOwner` (required) and `OptionalOwner`.

Every bearer token is verified here, in the app, whatever the gateway already checked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from portfolio_api import aws
from portfolio_api.auth import service, sessions
from portfolio_api.auth.cognito import CognitoIdentityProvider
from portfolio_api.auth.service import IdentityProvider, Owner
from portfolio_api.auth.tokens import INVALID_TOKEN, TokenClaims, TokenVerifier
from portfolio_api.blocking import run_blocking
from portfolio_api.db.table import Table
from portfolio_api.deps import SettingsDep, TableDep
from portfolio_api.errors import Unauthorized

__all__ = ["CurrentOwner", "OptionalOwner", "Owner", "RejectedToken"]

# auto_error=False: a missing or malformed header gets our 401 Error body, not FastAPI's.
bearer_scheme = HTTPBearer(
    bearerFormat="JWT",
    scheme_name="bearerAuth",
    description="The `token` (Cognito ID token) from POST /v1/auth/login",
    auto_error=False,
)
_verifier_lock = threading.Lock()

# Dependencies without I/O are `async def`, which saves a thread-pool round trip per request
# (see deps.py); verifying a token may fetch the pool's JWKS, so it goes through `run_blocking`
# (the thread pool under a server, inline on Lambda).


@dataclass(frozen=True, slots=True)
class OwnerSession:
    """The verified owner together with the token that proved it (for logout and /me)."""

    owner: Owner
    claims: TokenClaims
    token: str


async def get_verifier(request: Request, settings: SettingsDep) -> TokenVerifier:
    """The app's token verifier and JWKS cache, created on first use."""
    with _verifier_lock:
        verifier: TokenVerifier | None = getattr(request.app.state, "token_verifier", None)
        if verifier is None:
            verifier = TokenVerifier(
                jwks_url=settings.jwks_url,
                issuer=settings.cognito_issuer,
                client_id=settings.cognito_client_id,
                pool_id=settings.cognito_user_pool_id,
            )
            request.app.state.token_verifier = verifier
    return verifier


VerifierDep = Annotated[TokenVerifier, Depends(get_verifier)]


async def get_identity_provider(settings: SettingsDep) -> IdentityProvider:
    """Cognito, through the container's shared botocore client (built on first use: CPU
    only, like the table's, so no thread-pool round trip per request)."""
    secret = settings.cognito_client_secret
    return CognitoIdentityProvider(
        client=aws.cognito_client(settings),
        user_pool_id=settings.cognito_user_pool_id,
        client_id=settings.cognito_client_id,
        client_secret=secret.get_secret_value() if secret else None,
    )


IdentityProviderDep = Annotated[IdentityProvider, Depends(get_identity_provider)]


async def bearer_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> str | None:
    """The bearer token; None without an Authorization header, 401 for a malformed one."""
    if "authorization" not in request.headers:
        return None
    if credentials is None or not credentials.credentials:
        raise Unauthorized(INVALID_TOKEN)
    return credentials.credentials


BearerToken = Annotated[str | None, Depends(bearer_token)]


def _claims_of_a_live_session(verify: TokenVerifier, table: Table, token: str) -> TokenClaims:
    """The token's claims: 401 unless Cognito signed it, it has not expired, and its user has
    not logged out since it was issued."""
    claims = verify(token)  # may download the JWKS
    sessions.ensure_not_signed_out(table=table, claims=claims)
    return claims


async def owner_session(token: BearerToken, verify: VerifierDep, table: TableDep) -> OwnerSession:
    """The verified owner: 401 without a valid token, 403 for a user outside the group."""
    if token is None:
        raise Unauthorized(INVALID_TOKEN)
    claims = await run_blocking(_claims_of_a_live_session, verify, table, token)
    return OwnerSession(owner=service.owner_from_claims(claims), claims=claims, token=token)


CurrentOwnerSession = Annotated[OwnerSession, Depends(owner_session)]


async def current_owner(session: CurrentOwnerSession) -> Owner:
    """The owner; the request fails with 401/403 otherwise."""
    return session.owner


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls a public route: the owner or None, and the 401 an owner-only route would
    have answered for a token that was sent but proves nothing (None when no token was sent,
    or it is a valid token of a user outside the owner group)."""

    owner: Owner | None
    rejected: Unauthorized | None


async def public_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    verify: VerifierDep,
    table: TableDep,
) -> Caller:
    """The caller of a public route; never an error by itself (see `optional_owner`)."""
    if "authorization" not in request.headers:
        return Caller(owner=None, rejected=None)
    token = credentials.credentials if credentials else ""
    if not token:
        return Caller(owner=None, rejected=Unauthorized(INVALID_TOKEN))
    try:
        claims = await run_blocking(_claims_of_a_live_session, verify, table, token)
    except Unauthorized as rejected:
        return Caller(owner=None, rejected=rejected)
    try:
        return Caller(owner=service.owner_from_claims(claims), rejected=None)
    except service.NotOwner:
        return Caller(owner=None, rejected=None)  # a genuine session, just not the owner's


PublicCaller = Annotated[Caller, Depends(public_caller)]


async def optional_owner(caller: PublicCaller) -> Owner | None:
    """The owner, or None: the caller then sees what anyone sees.

    These routes are public, so a token that proves nothing (malformed, expired, signed out,
    or of a user outside the owner group) is no error here: a browser holding a stale token
    must still get the portfolio's pages. The owner-only routes answer such a token with 401,
    which is where a dashboard learns that its session ended; so does a public route asked
    for what only the owner may see (`rejected_token`).
    """
    return caller.owner


async def rejected_token(caller: PublicCaller) -> Unauthorized | None:
    """The 401 for a token that was sent but proves nothing (expired, signed out, malformed),
    for a public route to raise when the request asks for what only the owner may see."""
    return caller.rejected


CurrentOwner = Annotated[Owner, Depends(current_owner)]
OptionalOwner = Annotated[Owner | None, Depends(optional_owner)]
RejectedToken = Annotated[Unauthorized | None, Depends(rejected_token)]
