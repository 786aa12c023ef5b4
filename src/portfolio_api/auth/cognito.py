"""The Cognito user-pool adapter: the only module of the auth domain that talks to botocore."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Any, TypeVar

from portfolio_api.auth.service import Challenge, IdentityProviderError, Tokens, User
from portfolio_api.errors import BadRequest, ServiceUnavailable

T = TypeVar("T")

THROTTLING_CODES = frozenset(
    {"TooManyRequestsException", "ThrottlingException", "LimitExceededException"}
)
UNAVAILABLE = "The identity provider is busy or unreachable; retry shortly"
TOTP_DEVICE_NAME = "Portfolio API owner"


def secret_hash(*, client_secret: str, username: str, client_id: str) -> str:
    """Cognito's SECRET_HASH: base64(HMAC-SHA256(secret, username + client_id))."""
    digest = hmac.new(
        client_secret.encode(), (username + client_id).encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


class CognitoIdentityProvider:
    """Cognito's public auth API (InitiateAuth, RespondToAuthChallenge, GlobalSignOut...)."""

    def __init__(
        self, *, client: Any, user_pool_id: str, client_id: str, client_secret: str | None
    ) -> None:
        self._client = client
        self._user_pool_id = user_pool_id
        self._client_id = client_id
        self._client_secret = client_secret

    def password_auth(self, *, username: str, password: str) -> Tokens | Challenge:
        """USER_PASSWORD_AUTH."""
        parameters = {"USERNAME": username, "PASSWORD": password, **self._secret(username)}
        response = self._call(
            lambda: self._client.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters=parameters,
            )
        )
        return _outcome(response)

    def refresh(self, *, refresh_token: str, username: str | None) -> Tokens:
        """REFRESH_TOKEN_AUTH; `username` is only needed for the SECRET_HASH of a secret client."""
        parameters = {"REFRESH_TOKEN": refresh_token}
        if self._client_secret is not None:
            if not username:
                raise BadRequest("`username` is required to refresh with this app client")
            parameters.update(self._secret(username))
        response = self._call(
            lambda: self._client.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters=parameters,
            )
        )
        outcome = _outcome(response)
        if isinstance(outcome, Challenge):
            raise IdentityProviderError("NotAuthorizedException", "unexpected challenge")
        return outcome

    def new_password(self, *, username: str, session: str, password: str) -> Tokens | Challenge:
        """RespondToAuthChallenge for NEW_PASSWORD_REQUIRED."""
        return self._answer("NEW_PASSWORD_REQUIRED", username, session, NEW_PASSWORD=password)

    def totp(self, *, username: str, session: str, code: str) -> Tokens | Challenge:
        """RespondToAuthChallenge for SOFTWARE_TOKEN_MFA."""
        return self._answer("SOFTWARE_TOKEN_MFA", username, session, SOFTWARE_TOKEN_MFA_CODE=code)

    def _answer(
        self, challenge: str, username: str, session: str, **answer: str
    ) -> Tokens | Challenge:
        responses = {"USERNAME": username, **answer, **self._secret(username)}
        response = self._call(
            lambda: self._client.respond_to_auth_challenge(
                ClientId=self._client_id,
                ChallengeName=challenge,
                Session=session,
                ChallengeResponses=responses,
            )
        )
        return _outcome(response)

    def associate_totp(self, *, access_token: str) -> str:
        """AssociateSoftwareToken: a new TOTP secret for the access token's user."""
        response = self._call(
            lambda: self._client.associate_software_token(AccessToken=access_token)
        )
        return str(response["SecretCode"])

    def enable_totp(self, *, access_token: str, code: str) -> None:
        """VerifySoftwareToken with a first code, then TOTP as the user's preferred MFA."""
        response = self._call(
            lambda: self._client.verify_software_token(
                AccessToken=access_token, UserCode=code, FriendlyDeviceName=TOTP_DEVICE_NAME
            )
        )
        if response.get("Status") != "SUCCESS":
            raise IdentityProviderError("EnableSoftwareTokenMFAException", "Code not verified")
        self._call(
            lambda: self._client.set_user_mfa_preference(
                AccessToken=access_token,
                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
            )
        )

    def start_totp_setup(self, *, session: str) -> tuple[str, str]:
        """AssociateSoftwareToken with the session of a login's MFA_SETUP challenge: the new
        TOTP secret and the session that continues the login."""
        response = self._call(lambda: self._client.associate_software_token(Session=session))
        return str(response["SecretCode"]), str(response["Session"])

    def finish_totp_setup(self, *, username: str, session: str, code: str) -> Tokens | Challenge:
        """VerifySoftwareToken with the app's first code, then answer MFA_SETUP with the
        session it returns: the login completes and TOTP guards every later one."""
        response = self._call(
            lambda: self._client.verify_software_token(
                Session=session, UserCode=code, FriendlyDeviceName=TOTP_DEVICE_NAME
            )
        )
        if response.get("Status") != "SUCCESS":
            raise IdentityProviderError("CodeMismatchException", "Code not verified")
        return self._answer("MFA_SETUP", username, str(response["Session"]))

    def sign_out(self, *, access_token: str) -> None:
        """GlobalSignOut: revoke every refresh token of the access token's user."""
        self._call(lambda: self._client.global_sign_out(AccessToken=access_token))

    def admin_sign_out(self, *, username: str) -> None:
        """AdminUserGlobalSignOut, for callers that hold only an ID token."""
        self._call(
            lambda: self._client.admin_user_global_sign_out(
                UserPoolId=self._user_pool_id, Username=username
            )
        )

    def user(self, *, access_token: str) -> User:
        """GetUser: the attributes and the enabled MFA methods of the access token's user."""
        response = self._call(lambda: self._client.get_user(AccessToken=access_token))
        return User(
            attributes={item["Name"]: item["Value"] for item in response.get("UserAttributes", [])},
            mfa=tuple(response.get("UserMFASettingList") or ()),
        )

    def _secret(self, username: str) -> dict[str, str]:
        if self._client_secret is None:
            return {}
        return {
            "SECRET_HASH": secret_hash(
                client_secret=self._client_secret, username=username, client_id=self._client_id
            )
        }

    @staticmethod
    def _call(operation: Callable[[], T]) -> T:
        from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

        try:
            return operation()
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if (
                code in THROTTLING_CODES
                or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
            ):
                raise ServiceUnavailable(UNAVAILABLE, retry_after=2) from None
            raise IdentityProviderError(code, str(error.get("Message", ""))) from None
        except (ConnectionError, HTTPClientError) as exc:
            raise ServiceUnavailable(UNAVAILABLE, retry_after=2) from exc


def _outcome(response: dict[str, Any]) -> Tokens | Challenge:
    result = response.get("AuthenticationResult")
    if result:
        return Tokens(
            id_token=result["IdToken"],
            access_token=result["AccessToken"],
            refresh_token=result.get("RefreshToken"),
            expires_in=int(result.get("ExpiresIn", 3600)),
        )
    return Challenge(name=response["ChallengeName"], session=response["Session"])
