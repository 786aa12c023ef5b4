"""The owner's authenticator app (TOTP MFA): enrolment, with the access token of a login.

Cognito's AssociateSoftwareToken and VerifySoftwareToken take an access token, not the ID
token the contract calls `token`, so both steps ask for the login's `accessToken` as bearer.
Once enrolled, a login answers 409 SOFTWARE_TOKEN_MFA and `POST /v1/auth/challenge` takes the
app's code (`service.complete_totp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from portfolio_api.auth import service
from portfolio_api.auth.service import IdentityProvider, IdentityProviderError, Owner
from portfolio_api.auth.tokens import TokenClaims
from portfolio_api.errors import BadRequest, Unauthorized

ISSUER = "Portfolio API"
"""The name authenticator apps show above the code."""
WRONG_BEARER = (
    "Setting up an authenticator app takes the access token: send the login's `accessToken` "
    "as the bearer token"
)
CODE_MISMATCH = "The code does not match the authenticator app; enter its current code"
_MISMATCH_CODES = frozenset(
    {"CodeMismatchException", "EnableSoftwareTokenMFAException", "ExpiredCodeException"}
)


@dataclass(frozen=True, slots=True)
class TotpSecret:
    """A new authenticator secret, and the `otpauth://` URI a QR code carries."""

    secret: str
    uri: str


def start(
    *, idp: IdentityProvider, owner: Owner, claims: TokenClaims, bearer_token: str
) -> TotpSecret:
    """A new TOTP secret for the owner; it protects nothing until `enable` confirms it."""
    access_token = _access_token(claims, bearer_token)
    try:
        secret = idp.associate_totp(access_token=access_token)
    except IdentityProviderError as exc:
        raise _token_error(exc) from None
    # Access tokens carry no email; the app lists the account under it, not under the sub.
    owner = service.me(idp=idp, owner=owner, claims=claims, bearer_token=bearer_token)
    label = quote(f"{ISSUER}:{owner.email or owner.username}")
    return TotpSecret(
        secret=secret, uri=f"otpauth://totp/{label}?secret={secret}&issuer={quote(ISSUER)}"
    )


def enable(*, idp: IdentityProvider, claims: TokenClaims, bearer_token: str, code: str) -> None:
    """Confirm the new secret with a code of the app and make TOTP the owner's MFA."""
    access_token = _access_token(claims, bearer_token)
    try:
        idp.enable_totp(access_token=access_token, code=code)
    except IdentityProviderError as exc:
        if exc.code in _MISMATCH_CODES:
            raise BadRequest(CODE_MISMATCH, details={"field": "code"}) from None
        raise _token_error(exc) from None


def _access_token(claims: TokenClaims, bearer_token: str) -> str:
    if claims.token_use != "access":  # noqa: S105 - a claim value, not a secret
        raise BadRequest(WRONG_BEARER)
    return bearer_token


def _token_error(exc: IdentityProviderError) -> Exception:
    if exc.code in {"NotAuthorizedException", "UserNotFoundException"}:
        return Unauthorized("The session is no longer valid; log in again")
    return exc
