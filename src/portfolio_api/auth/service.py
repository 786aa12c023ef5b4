"""Owner authentication: login, refresh, challenge, logout and who the caller is.

The identity provider (Cognito, see `cognito.py`) is passed in; this module only decides
what its answers mean for our API, and never sees boto3 or FastAPI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from portfolio_api.auth import sessions
from portfolio_api.auth.tokens import TokenClaims
from portfolio_api.clock import Clock
from portfolio_api.db.table import Table
from portfolio_api.errors import BadRequest, Conflict, Forbidden, ServiceUnavailable, Unauthorized

logger = logging.getLogger("portfolio_api.auth")

OWNER_GROUP = "owner"
INVALID_CREDENTIALS = "Invalid email or password"
INVALID_REFRESH_TOKEN = "The refresh token is invalid, expired or revoked"  # noqa: S105
INVALID_SESSION = "The challenge session is invalid or has expired; log in again"
INVALID_CODE = "The authenticator code is wrong or has expired; try the current one"
NOT_OWNER = "You do not have permission to perform this action"
PASSWORD_REUSED = "The new password was used before; choose another one"  # noqa: S105
SIGN_OUT_INCOMPLETE = (
    "Signed out of this API: every token issued until now is refused. But Cognito is busy or "
    "unreachable and did not revoke the refresh tokens: log in again in a moment and log out "
    "to revoke them"
)


class Owner(BaseModel):
    """The authenticated owner, as routes see it."""

    model_config = ConfigDict(frozen=True)

    id: str
    """The Cognito `sub`: stable for the life of the account."""
    email: str | None
    name: str
    role: Literal["owner"] = "owner"
    username: str
    """The Cognito username (`cognito:username`), which admin APIs address the user by."""


@dataclass(frozen=True, slots=True)
class Tokens:
    """What the identity provider hands out on a successful authentication."""

    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True, slots=True)
class Challenge:
    """The identity provider wants more before it issues tokens (e.g. a new password)."""

    name: str
    session: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Fresh tokens and the owner they belong to."""

    owner: Owner
    tokens: Tokens


class IdentityProviderError(Exception):
    """A refusal from the identity provider, by its error code (e.g. `NotAuthorizedException`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class User:
    """What Cognito says of the access token's user: attributes and enabled MFA methods."""

    attributes: dict[str, str]
    mfa: tuple[str, ...]


class IdentityProvider(Protocol):
    """The operations we need from Cognito; `cognito.CognitoIdentityProvider` implements it."""

    def password_auth(self, *, username: str, password: str) -> Tokens | Challenge: ...

    def refresh(self, *, refresh_token: str, username: str | None) -> Tokens: ...

    def new_password(self, *, username: str, session: str, password: str) -> Tokens | Challenge: ...

    def totp(self, *, username: str, session: str, code: str) -> Tokens | Challenge: ...

    def associate_totp(self, *, access_token: str) -> str: ...

    def enable_totp(self, *, access_token: str, code: str) -> None: ...

    def start_totp_setup(self, *, session: str) -> tuple[str, str]: ...

    def finish_totp_setup(
        self, *, username: str, session: str, code: str
    ) -> Tokens | Challenge: ...

    def sign_out(self, *, access_token: str) -> None: ...

    def admin_sign_out(self, *, username: str) -> None: ...

    def user(self, *, access_token: str) -> User: ...


Verifier = Callable[[str], TokenClaims]


_CHALLENGE_MESSAGES = {
    "NEW_PASSWORD_REQUIRED": "A new password is required before the first login",
    "SOFTWARE_TOKEN_MFA": "Enter the 6-digit code of your authenticator app",
    "MFA_SETUP": "An authenticator app is required: answer MFA_SETUP to set one up",
}


class ChallengeRequired(Conflict):
    """Login succeeded but Cognito requires a challenge first (409, details carry it)."""

    def __init__(self, challenge: Challenge) -> None:
        super().__init__(
            _CHALLENGE_MESSAGES.get(
                challenge.name, f"Cognito requires the {challenge.name} challenge"
            ),
            details={"challenge": challenge.name, "session": challenge.session},
        )


class NotOwner(Forbidden):
    """A valid token of a user outside the owner group."""

    headers = {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__(NOT_OWNER)


def owner_from_claims(claims: TokenClaims) -> Owner:
    """The owner these verified claims name; NotOwner when the user is not in the group."""
    if OWNER_GROUP not in claims.groups:
        raise NotOwner
    return Owner(
        id=claims.sub,
        email=claims.email,
        name=claims.name or claims.email or claims.username,
        username=claims.username,
    )


def login(*, idp: IdentityProvider, verify: Verifier, email: str, password: str) -> SignedIn:
    """Exchange the owner's email and password for tokens."""
    try:
        outcome = idp.password_auth(username=email, password=password)
    except IdentityProviderError as exc:
        raise login_error(exc) from None
    return signed_in(outcome, verify=verify)


# A session Cognito never issued can come back as ResourceNotFoundException (moto does so):
# a made-up session is the caller's 401, not our 500.
INVALID_SESSION_CODES = frozenset(
    {
        "NotAuthorizedException",
        "CodeMismatchException",
        "ExpiredCodeException",
        "ResourceNotFoundException",
    }
)


def complete_new_password(
    *, idp: IdentityProvider, verify: Verifier, email: str, session: str, new_password: str
) -> SignedIn:
    """Answer NEW_PASSWORD_REQUIRED (the first login of an admin-created owner)."""
    try:
        outcome = idp.new_password(username=email, session=session, password=new_password)
    except IdentityProviderError as exc:
        if exc.code == "InvalidPasswordException":
            raise BadRequest(exc.message or "The new password does not meet the policy") from None
        if exc.code == "PasswordHistoryPolicyViolationException":
            raise BadRequest(PASSWORD_REUSED) from None
        if exc.code in INVALID_SESSION_CODES:
            raise Unauthorized(INVALID_SESSION) from None
        raise login_error(exc) from None
    return signed_in(outcome, verify=verify)


def complete_totp(
    *, idp: IdentityProvider, verify: Verifier, email: str, session: str, code: str
) -> SignedIn:
    """Answer SOFTWARE_TOKEN_MFA with a code of the owner's authenticator app."""
    try:
        outcome = idp.totp(username=email, session=session, code=code)
    except IdentityProviderError as exc:
        if exc.code in {"CodeMismatchException", "ExpiredCodeException"}:
            raise Unauthorized(INVALID_CODE) from None
        if exc.code in INVALID_SESSION_CODES:
            raise Unauthorized(INVALID_SESSION) from None
        raise login_error(exc) from None
    return signed_in(outcome, verify=verify)


def refresh(
    *, idp: IdentityProvider, verify: Verifier, refresh_token: str, username: str | None
) -> SignedIn:
    """New ID and access tokens for a refresh token that has not been revoked."""
    try:
        tokens = idp.refresh(refresh_token=refresh_token, username=username)
    except IdentityProviderError as exc:
        if exc.code in {"NotAuthorizedException", "UserNotFoundException"}:
            raise Unauthorized(INVALID_REFRESH_TOKEN) from None
        raise login_error(exc) from None
    return signed_in(tokens, verify=verify)


# Cognito's answers when nothing is left to revoke: an earlier sign-out (another device, or
# `admin-user-global-sign-out`) revoked the access token, or the user is disabled or deleted.
_NOTHING_TO_REVOKE = frozenset({"NotAuthorizedException", "UserNotFoundException"})


def logout(
    *, idp: IdentityProvider, table: Table, clock: Clock, claims: TokenClaims, bearer_token: str
) -> None:
    """Sign the user out everywhere: the API refuses every token issued until now, and Cognito
    revokes the refresh tokens (GlobalSignOut)."""
    # The record first: it alone makes the API refuse the old tokens, so no refusal of Cognito's
    # may skip it (and once it is written this bearer is refused, so it is never retried).
    sessions.record_sign_out(table=table, sub=claims.sub, at=clock.now())
    try:
        _revoke_refresh_tokens(idp=idp, claims=claims, bearer_token=bearer_token)
    except ServiceUnavailable:
        logger.warning("logout: recorded, but Cognito did not revoke the refresh tokens")
        raise ServiceUnavailable(SIGN_OUT_INCOMPLETE, retry_after=2) from None
    # Again, now that no refresh token works: a refresh in between minted tokens issued after
    # the first record.
    try:
        sessions.record_sign_out(table=table, sub=claims.sub, at=clock.now())
    except ServiceUnavailable:
        logger.warning("logout: tokens refreshed while Cognito revoked the others stay valid")


def _revoke_refresh_tokens(
    *, idp: IdentityProvider, claims: TokenClaims, bearer_token: str
) -> None:
    try:
        if claims.token_use == "access":  # noqa: S105 - a claim value, not a secret
            idp.sign_out(access_token=bearer_token)
        else:
            # The contract's token is the ID token, which GlobalSignOut does not accept. The
            # username (`cognito:username`) never changes; the email may have since login.
            idp.admin_sign_out(username=claims.username)
    except IdentityProviderError as exc:
        if exc.code not in _NOTHING_TO_REVOKE:
            raise
        logger.info("logout: Cognito had nothing left to revoke (%s)", exc.code)


def me(*, idp: IdentityProvider, owner: Owner, claims: TokenClaims, bearer_token: str) -> Owner:
    """The owner, with email and name filled from Cognito when the token does not carry them."""
    if owner.email is not None or claims.token_use != "access":  # noqa: S105
        return owner
    try:
        attributes = idp.user(access_token=bearer_token).attributes
    except IdentityProviderError as exc:
        raise _session_error(exc) from None
    email = attributes.get("email")
    return owner.model_copy(
        update={"email": email, "name": attributes.get("name") or email or owner.name}
    )


def signed_in(outcome: Tokens | Challenge, *, verify: Verifier) -> SignedIn:
    """The owner and tokens of a completed login; 409 when Cognito asks for a challenge."""
    if isinstance(outcome, Challenge):
        raise ChallengeRequired(outcome)
    return SignedIn(owner=owner_from_claims(verify(outcome.id_token)), tokens=outcome)


def _session_error(exc: IdentityProviderError) -> Exception:
    if exc.code in {"NotAuthorizedException", "UserNotFoundException"}:
        return Unauthorized("The session is no longer valid; log in again")
    return exc


def login_error(exc: IdentityProviderError) -> Exception:
    """The API error of a refusal during login (the refusal itself when none fits)."""
    if exc.code in {"NotAuthorizedException", "UserNotFoundException"}:
        return Unauthorized(INVALID_CREDENTIALS)
    if exc.code == "PasswordResetRequiredException":
        return Forbidden("A password reset is required; reset the password in Cognito first")
    if exc.code == "UserNotConfirmedException":
        return Forbidden("The account is not confirmed yet")
    return exc
