"""Request and response bodies of the Authentication routes, camelCase as in the contract."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic.alias_generators import to_camel

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"
_TOKEN_MAX = 16_384


class _Schema(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class LoginRequest(_Schema):
    """The owner's credentials."""

    email: str = Field(
        min_length=3, max_length=254, pattern=EMAIL_PATTERN, examples=["owner@example.com"]
    )
    password: SecretStr = Field(
        min_length=1, max_length=256, json_schema_extra={"format": "password"}
    )


class RefreshRequest(_Schema):
    """A refresh token from the login response."""

    refresh_token: SecretStr = Field(min_length=1, max_length=_TOKEN_MAX)
    username: str | None = Field(
        default=None,
        max_length=254,
        description="The `cognito:username` claim; required only when the app client has a secret",
    )


class ChallengeRequest(_Schema):
    """The answer to the challenge a login returned (409 with `details.challenge/session`):
    `newPassword` for NEW_PASSWORD_REQUIRED, `code` for SOFTWARE_TOKEN_MFA; for MFA_SETUP,
    nothing first (the 409 answer carries the app's secret and a new session), then `code`."""

    challenge: Literal["NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA", "MFA_SETUP"] = (
        "NEW_PASSWORD_REQUIRED"
    )
    email: str = Field(min_length=3, max_length=254, pattern=EMAIL_PATTERN)
    # Cognito's own bounds on a challenge session; outside them botocore refuses the call.
    session: SecretStr = Field(min_length=20, max_length=2048)
    new_password: SecretStr | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        json_schema_extra={"format": "password"},
        description="The owner's new password (NEW_PASSWORD_REQUIRED)",
    )
    code: str | None = Field(
        default=None,
        pattern=r"^[0-9]{6}$",
        description=(
            "The 6-digit code of the owner's authenticator app (SOFTWARE_TOKEN_MFA, and the "
            "second step of MFA_SETUP)"
        ),
    )

    @model_validator(mode="after")
    def _answers_its_challenge(self) -> ChallengeRequest:
        wanted = "new_password" if self.challenge == "NEW_PASSWORD_REQUIRED" else "code"
        other = "code" if wanted == "new_password" else "new_password"
        if getattr(self, wanted) is None and self.challenge != "MFA_SETUP":
            raise ValueError(f"{self.challenge} is answered with `{to_camel(wanted)}`")
        if getattr(self, other) is not None:
            raise ValueError(f"`{to_camel(other)}` does not answer {self.challenge}")
        return self


class User(_Schema):
    """The contract's `User`."""

    # `role` has a default, yet every answer carries it: documented as required, as the
    # contract has it.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: str = Field(examples=["owner-1"])
    email: str = Field(examples=["owner@example.com"])
    name: str
    role: Literal["owner", "public"] = "owner"


class RefreshResponse(_Schema):
    """Fresh tokens; `token` is the ID token, the one to send as `Authorization: Bearer`."""

    user: User
    token: str = Field(description="The Cognito ID token (JWT)")
    access_token: str = Field(description="The Cognito access token (JWT), also accepted")
    expires_in: int = Field(description="Lifetime of both tokens in seconds")
    refresh_token: str | None = Field(
        default=None, description="Present only when Cognito rotates refresh tokens"
    )


class LoginResponse(RefreshResponse):
    """The contract's login answer (`user`, `token`) plus the rest of Cognito's tokens."""

    refresh_token: str = Field(description="Exchange it at /v1/auth/refresh for new tokens")


class LogoutResponse(_Schema):
    """Confirmation that the owner's refresh tokens were revoked."""

    message: str = Field(examples=["Successfully logged out"])


class TotpSetup(_Schema):
    """A new authenticator secret: type `secretCode` into the app, or show `otpauthUri` as a
    QR code; then confirm with `POST /v1/auth/mfa/totp/verify`."""

    secret_code: str
    otpauth_uri: str = Field(examples=["otpauth://totp/Portfolio%20API%3Aowner%40example.com?..."])


class TotpCode(_Schema):
    """A code of the authenticator app."""

    code: str = Field(pattern=r"^[0-9]{6}$", examples=["123456"])


class MfaEnabled(_Schema):
    """TOTP is now the owner's MFA: every login asks for a code of the app."""

    message: str = Field(examples=["Authenticator app enabled"])
