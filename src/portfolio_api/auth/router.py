"""The Authentication routes: login, refresh, challenge, logout, me and MFA set-up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from portfolio_api.auth import mfa, service
from portfolio_api.auth.dependencies import CurrentOwnerSession, IdentityProviderDep, VerifierDep
from portfolio_api.auth.schemas import (
    ChallengeRequest,
    LoginRequest,
    LoginResponse,
    LogoutResponse,
    MfaEnabled,
    RefreshRequest,
    RefreshResponse,
    TotpCode,
    TotpSetup,
    User,
)
from portfolio_api.blocking import BlockingRoute
from portfolio_api.clock import ClockDep
from portfolio_api.deps import TableDep
from portfolio_api.errors import error_doc, error_responses

router = APIRouter(
    route_class=BlockingRoute,
    prefix="/v1/auth",
    tags=["Authentication"],
    responses=error_responses(503),
)

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: error_doc("Invalid credentials or token"),
    403: error_doc("Not the owner, or the account needs attention"),
    503: error_doc("Cognito is throttling or unreachable; retry"),
}
_CHALLENGE: dict[int | str, dict[str, Any]] = {
    409: error_doc(
        "Cognito requires a challenge: `details` carries `challenge` and `session` (for "
        "MFA_SETUP also the app's `secretCode` and `otpauthUri`)"
    )
}


def _user(owner: service.Owner) -> User:
    return User(id=owner.id, email=owner.email or "", name=owner.name, role=owner.role)


def _session(signed_in: service.SignedIn) -> dict[str, Any]:
    tokens = signed_in.tokens
    return {
        "user": _user(signed_in.owner),
        "token": tokens.id_token,
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "expires_in": tokens.expires_in,
    }


@router.post(
    "/login",
    operation_id="login",
    summary="User login",
    responses={**_ERRORS, **_CHALLENGE},
)
def login(body: LoginRequest, idp: IdentityProviderDep, verify: VerifierDep) -> LoginResponse:
    """Exchange the owner's email and password for Cognito tokens."""
    signed_in = service.login(
        idp=idp, verify=verify, email=body.email, password=body.password.get_secret_value()
    )
    return LoginResponse.model_validate(_session(signed_in))


@router.post(
    "/challenge",
    operation_id="respondToAuthChallenge",
    summary="Complete a login challenge",
    responses={**_ERRORS, **_CHALLENGE},
)
def challenge(
    body: ChallengeRequest, idp: IdentityProviderDep, verify: VerifierDep
) -> LoginResponse:
    """Answer the challenge a login returned, and log in: set the owner's first password
    (NEW_PASSWORD_REQUIRED), give the authenticator app's code (SOFTWARE_TOKEN_MFA), or set up
    an app (MFA_SETUP: without `code`, a 409 carries `secretCode`, `otpauthUri` and the session
    to answer with the app's first `code`)."""
    session = body.session.get_secret_value()
    if body.challenge == "MFA_SETUP":
        if body.code is None:
            mfa.start_at_login(idp=idp, email=body.email, session=session)
        signed_in = mfa.finish_at_login(
            idp=idp, verify=verify, email=body.email, session=session, code=body.code
        )
    elif body.code is not None:
        signed_in = service.complete_totp(
            idp=idp, verify=verify, email=body.email, session=session, code=body.code
        )
    else:
        assert body.new_password is not None  # the schema requires one of the two
        signed_in = service.complete_new_password(
            idp=idp,
            verify=verify,
            email=body.email,
            session=session,
            new_password=body.new_password.get_secret_value(),
        )
    return LoginResponse.model_validate(_session(signed_in))


@router.post("/refresh", operation_id="refreshToken", summary="Refresh tokens", responses=_ERRORS)
def refresh(body: RefreshRequest, idp: IdentityProviderDep, verify: VerifierDep) -> RefreshResponse:
    """New ID and access tokens for a refresh token that was not revoked."""
    signed_in = service.refresh(
        idp=idp,
        verify=verify,
        refresh_token=body.refresh_token.get_secret_value(),
        username=body.username,
    )
    return RefreshResponse.model_validate(_session(signed_in))


@router.post(
    "/logout",
    operation_id="logout",
    summary="User logout",
    responses={
        **_ERRORS,
        503: error_doc(
            "The database or Cognito is busy or unreachable. When the message says so, the "
            "sign-out is recorded (the tokens are refused) and only Cognito's revocation of the "
            "refresh tokens is missing: log in again and log out"
        ),
    },
)
def logout(
    session: CurrentOwnerSession, idp: IdentityProviderDep, table: TableDep, clock: ClockDep
) -> LogoutResponse:
    """Sign the owner out everywhere: the API refuses every ID and access token issued before
    now, and Cognito revokes the refresh tokens (global sign-out)."""
    service.logout(
        idp=idp, table=table, clock=clock, claims=session.claims, bearer_token=session.token
    )
    return LogoutResponse(message="Successfully logged out")


@router.get("/me", operation_id="getCurrentUser", summary="Get current user", responses=_ERRORS)
def me(session: CurrentOwnerSession, idp: IdentityProviderDep) -> User:
    """The authenticated owner."""
    owner = service.me(
        idp=idp, owner=session.owner, claims=session.claims, bearer_token=session.token
    )
    return _user(owner)


@router.post(
    "/mfa/totp",
    operation_id="startTotpSetup",
    summary="Start setting up an authenticator app (TOTP MFA)",
    responses={
        **_ERRORS,
        400: error_doc("The bearer is the ID token, not the access token"),
        409: error_doc(
            "An authenticator app is already set up (an administrator replaces it), or another "
            "change to it is in progress"
        ),
    },
)
def start_totp_setup(session: CurrentOwnerSession, idp: IdentityProviderDep) -> TotpSetup:
    """A new TOTP secret for the owner's authenticator app; send the login's `accessToken`
    as the bearer token. MFA is on only after `POST /v1/auth/mfa/totp/verify`. Once an app
    is set up this is a 409: a token alone may not replace it."""
    secret = mfa.start(
        idp=idp, owner=session.owner, claims=session.claims, bearer_token=session.token
    )
    return TotpSetup(secret_code=secret.secret, otpauth_uri=secret.uri)


@router.post(
    "/mfa/totp/verify",
    operation_id="enableTotp",
    summary="Confirm the authenticator app and turn TOTP MFA on",
    responses={
        **_ERRORS,
        400: error_doc("Wrong code, or the bearer is not the access token"),
        409: error_doc(
            "No set-up was started (`POST /v1/auth/mfa/totp` comes first), or another change "
            "to the authenticator app is in progress"
        ),
    },
)
def enable_totp(
    body: TotpCode, session: CurrentOwnerSession, idp: IdentityProviderDep
) -> MfaEnabled:
    """Check a first code of the app; from then on every login asks for one (409
    SOFTWARE_TOKEN_MFA, answered at `POST /v1/auth/challenge`)."""
    mfa.enable(idp=idp, claims=session.claims, bearer_token=session.token, code=body.code)
    return MfaEnabled(message="Authenticator app enabled")
