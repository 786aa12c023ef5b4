"""The owner's authenticator app (TOTP MFA): enrolment from the dashboard, with the access
token of a login, or during a login that Cognito answers with MFA_SETUP.

Cognito's AssociateSoftwareToken and VerifySoftwareToken take an access token, not the ID
token the contract calls `token`, so dashboard enrolment asks for the login's `accessToken` as
bearer. With the pool's MFA `ON`, a login of an owner without an app gets the MFA_SETUP
challenge instead: the same two calls then take the challenge's session (`start_at_login`,
`finish_at_login`). Once enrolled, a login answers 409 SOFTWARE_TOKEN_MFA and
`POST /v1/auth/challenge` takes the app's code (`service.complete_totp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import quote

from portfolio_api.auth import service
from portfolio_api.auth.service import IdentityProvider, IdentityProviderError, Owner
from portfolio_api.auth.tokens import TokenClaims
from portfolio_api.errors import BadRequest, Conflict, Unauthorized

ISSUER = "Portfolio API"
"""The name authenticator apps show above the code."""
WRONG_BEARER = (
    "Setting up an authenticator app takes the access token: send the login's `accessToken` "
    "as the bearer token"
)
TOTP = "SOFTWARE_TOKEN_MFA"
ALREADY_SET_UP = (
    "An authenticator app is already set up. To replace it, an administrator turns it off "
    "first (docs/security.md, 'Replacing the authenticator app'); a token alone cannot"
)
CODE_MISMATCH = "The code does not match the authenticator app; enter its current code"
SETUP_CODE_MISMATCH = (
    "The code does not match the authenticator app; log in again to get a new setup session"
)
NOT_STARTED = (
    "No authenticator app is being set up: start with POST /v1/auth/mfa/totp, add its secret "
    "to the app, then send the app's code here"
)
SETUP_NOT_STARTED = (
    "No authenticator app is being set up: answer MFA_SETUP without `code` first to get the "
    "secret, then answer with the app's code and the session that answer returns"
)
BUSY = "Another change to the authenticator app is in progress; retry in a moment"
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
    """A new TOTP secret for the owner; it protects nothing until `enable` confirms it.

    Refused once an app is set up: otherwise a stolen access token (valid until it expires; no
    second factor is asked) would be enough to put the thief's app in place of the owner's.
    """
    access_token = _access_token(claims, bearer_token)
    try:
        user = idp.user(access_token=access_token)
        if TOTP in user.mfa:
            raise Conflict(ALREADY_SET_UP)
        secret = idp.associate_totp(access_token=access_token)
    except IdentityProviderError as exc:
        raise _token_error(exc) from None
    # Access tokens carry no email; the app lists the account under it, not under the sub.
    return _secret(secret, account=user.attributes.get("email") or owner.username)


def enable(*, idp: IdentityProvider, claims: TokenClaims, bearer_token: str, code: str) -> None:
    """Confirm the new secret with a code of the app and make TOTP the owner's MFA."""
    access_token = _access_token(claims, bearer_token)
    try:
        idp.enable_totp(access_token=access_token, code=code)
    except IdentityProviderError as exc:
        if exc.code in _MISMATCH_CODES:
            raise BadRequest(CODE_MISMATCH, details={"field": "code"}) from None
        if exc.code == "SoftwareTokenMFANotFoundException":  # no AssociateSoftwareToken yet
            raise Conflict(NOT_STARTED) from None
        raise _token_error(exc) from None


class SetupStarted(Conflict):
    """The MFA_SETUP challenge continues: the app's secret, and the session its code answers
    with (409, like every step of a login that is not finished)."""

    def __init__(self, secret: TotpSecret, session: str) -> None:
        super().__init__(
            "Add this secret to your authenticator app, then answer MFA_SETUP with its code "
            "and this session",
            details={
                "challenge": "MFA_SETUP",
                "session": session,
                "secretCode": secret.secret,
                "otpauthUri": secret.uri,
            },
        )


def start_at_login(*, idp: IdentityProvider, email: str, session: str) -> NoReturn:
    """Answer a login's MFA_SETUP without a code: a new secret for the owner's app, as a 409
    that carries it and the session of the next step."""
    try:
        secret, next_session = idp.start_totp_setup(session=session)
    except IdentityProviderError as exc:
        raise _session_error(exc) from None
    raise SetupStarted(_secret(secret, account=email), next_session)


def finish_at_login(
    *, idp: IdentityProvider, verify: service.Verifier, email: str, session: str, code: str
) -> service.SignedIn:
    """Answer MFA_SETUP with the app's first code: the app is enrolled, the login completes."""
    try:
        outcome = idp.finish_totp_setup(username=email, session=session, code=code)
    except IdentityProviderError as exc:
        if exc.code in _MISMATCH_CODES:
            raise Unauthorized(SETUP_CODE_MISMATCH) from None
        if exc.code == "SoftwareTokenMFANotFoundException":  # no AssociateSoftwareToken yet
            raise BadRequest(SETUP_NOT_STARTED) from None
        raise _session_error(exc) from None
    return service.signed_in(outcome, verify=verify)


def _secret(secret: str, *, account: str) -> TotpSecret:
    label = quote(f"{ISSUER}:{account}")
    uri = f"otpauth://totp/{label}?secret={secret}&issuer={quote(ISSUER)}"
    return TotpSecret(secret=secret, uri=uri)


def _session_error(exc: IdentityProviderError) -> Exception:
    if exc.code == "ConcurrentModificationException":
        return Conflict(BUSY)
    if exc.code in service.INVALID_SESSION_CODES:
        return Unauthorized(service.INVALID_SESSION)
    return service.login_error(exc)


def _access_token(claims: TokenClaims, bearer_token: str) -> str:
    if claims.token_use != "access":  # noqa: S105 - a claim value, not a secret
        raise BadRequest(WRONG_BEARER)
    return bearer_token


def _token_error(exc: IdentityProviderError) -> Exception:
    if exc.code == "ConcurrentModificationException":
        return Conflict(BUSY)
    if exc.code in {"NotAuthorizedException", "UserNotFoundException"}:
        return Unauthorized("The session is no longer valid; log in again")
    return exc
