"""Shared fixtures: moto in-process AWS, settings, the table and an HTTP client on the app.

Owner-authenticated route tests (any feature) need nothing but these fixtures:

- `client`: the real app on moto; its `settings` carry the moto user pool, app client and a
  `file://` URL of moto's public JWKS, so tokens issued by moto verify in the app.
- `owner_headers`: `{"Authorization": "Bearer <ID token>"}` of the pool's owner, obtained
  through a real `InitiateAuth` (USER_PASSWORD_AUTH) against moto's Cognito.
- `owner_tokens`: the whole `AuthenticationResult` (IdToken, AccessToken, RefreshToken...).
- `non_owner_headers`: a valid token of a pool user outside the `owner` group (expect 403).
- `cognito_pool`: the `CognitoPool` itself (ids, owner credentials, `add_user`, `login`).

`client.get("/v1/...", headers=owner_headers)` is the whole recipe.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto import mock_aws
from moto.utilities.utils import load_resource
from pydantic import SecretStr

from portfolio_api import aws
from portfolio_api.config import Settings
from portfolio_api.db import schema
from portfolio_api.db.table import Table
from portfolio_api.main import create_app

TEST_REGION = "us-east-1"
TEST_ORIGIN = "https://portfolio.example"
OWNER_GROUP = "owner"
OWNER_EMAIL = "owner@portfolio.example"
OWNER_NAME = "Portfolio Owner"
OWNER_PASSWORD = "Owner-Passw0rd!"

# moto needs credentials to sign requests; make sure no real profile is ever used.
for _name, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": TEST_REGION,
    "AWS_REGION": TEST_REGION,
}.items():
    os.environ[_name] = _value
for _name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "DYNAMODB_ENDPOINT_URL"):
    os.environ.pop(_name, None)


def _parse_moto_signing_key_once() -> None:
    """moto parses its one RSA private key for every user pool it creates (0.2-0.6 s of
    cryptography's key checks per test); the key never changes, so parse it once."""
    from joserfc import jwk
    from moto.cognitoidp import models

    private_jwk = load_resource("cognitoidp/resources/jwks-private.json")
    parsed = jwk.RSAKey.import_key(private_jwk)

    class _RSAKey(jwk.RSAKey):
        @classmethod
        def import_key(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
            if value == private_jwk:
                return parsed
            return jwk.RSAKey.import_key(value, *args, **kwargs)

    models.jwk = SimpleNamespace(RSAKey=_RSAKey)  # type: ignore[assignment]


_parse_moto_signing_key_once()


@pytest.fixture
def aws_mock() -> Iterator[None]:
    """An empty in-process AWS account (moto)."""
    aws.reset_clients()
    with mock_aws():
        yield
    aws.reset_clients()


@dataclass(frozen=True)
class CognitoPool:
    """A moto user pool shaped like the real one: `owner` group, public client, the owner."""

    client: Any
    pool_id: str
    client_id: str
    owner_email: str = OWNER_EMAIL
    owner_password: str = OWNER_PASSWORD
    owner_name: str = OWNER_NAME

    def add_user(
        self, email: str, password: str, *, name: str = "", groups: tuple[str, ...] = ()
    ) -> None:
        """A confirmed user with a permanent password, in `groups`."""
        attributes = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ]
        if name:
            attributes.append({"Name": "name", "Value": name})
        self.client.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email,
            MessageAction="SUPPRESS",
            UserAttributes=attributes,
        )
        self.client.admin_set_user_password(
            UserPoolId=self.pool_id, Username=email, Password=password, Permanent=True
        )
        for group in groups:
            self.client.admin_add_user_to_group(
                UserPoolId=self.pool_id, Username=email, GroupName=group
            )

    def login(self, email: str, password: str) -> dict[str, Any]:
        """Cognito's `AuthenticationResult` for these credentials (USER_PASSWORD_AUTH)."""
        response = self.client.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
        result: dict[str, Any] = response["AuthenticationResult"]
        return result


@pytest.fixture(scope="session")
def jwks_file_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A `file://` URL of moto's public JWKS (moto signs every token with its one key)."""
    path: Path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps(load_resource("cognitoidp/resources/jwks-public.json")))
    return path.as_uri()


def new_cognito_pool() -> CognitoPool:
    """A moto user pool with the `owner` group, a secretless app client and the owner."""
    client = aws.cognito_client(Settings(cognito_region=TEST_REGION))
    pool_id = client.create_user_pool(
        PoolName="portfolio-test", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    client.create_group(UserPoolId=pool_id, GroupName=OWNER_GROUP)
    client_id = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="portfolio-test-web",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["email", "name"],
    )["UserPoolClient"]["ClientId"]
    pool = CognitoPool(client=client, pool_id=pool_id, client_id=client_id)
    pool.add_user(OWNER_EMAIL, OWNER_PASSWORD, name=OWNER_NAME, groups=(OWNER_GROUP,))
    return pool


@pytest.fixture
def cognito_pool(aws_mock: None) -> CognitoPool:
    """A moto user pool with the `owner` group, a secretless app client and the owner."""
    return new_cognito_pool()


def settings_for(cognito_pool: CognitoPool, jwks_file_url: str) -> Settings:
    """Settings as a deployed environment would have them, pointing at the moto account."""
    return Settings(
        environment="test",
        log_level="INFO",
        dynamodb_table_name="portfolio-test",
        s3_bucket_name="portfolio-test-files",
        cors_origins=[TEST_ORIGIN],
        cursor_secret=SecretStr("test-cursor-secret"),
        cognito_user_pool_id=cognito_pool.pool_id,
        cognito_client_id=cognito_pool.client_id,
        cognito_region=TEST_REGION,
        cognito_jwks_url=jwks_file_url,
    )


@pytest.fixture
def settings(cognito_pool: CognitoPool, jwks_file_url: str) -> Settings:
    """Settings as a deployed environment would have them, pointing at the moto account."""
    return settings_for(cognito_pool, jwks_file_url)


@pytest.fixture
def table(aws_mock: None, settings: Settings) -> Table:
    """The single table, created from the template's definition."""
    client = aws.dynamodb_client(settings)
    schema.create_table(client, settings.dynamodb_table_name)
    return Table(
        client=client,
        name=settings.dynamodb_table_name,
        cursor_secret=settings.cursor_secret.get_secret_value().encode(),
    )


@pytest.fixture
def app(table: Table, settings: Settings) -> FastAPI:
    """The real application, wired to the moto table."""
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client on the app; unhandled errors come back as responses, like production."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def owner_tokens(cognito_pool: CognitoPool) -> dict[str, Any]:
    """The owner's Cognito `AuthenticationResult` (IdToken, AccessToken, RefreshToken)."""
    return cognito_pool.login(cognito_pool.owner_email, cognito_pool.owner_password)


@pytest.fixture
def owner_token(owner_tokens: dict[str, Any]) -> str:
    """The owner's ID token: the contract's `token`."""
    token: str = owner_tokens["IdToken"]
    return token


@pytest.fixture
def owner_headers(owner_token: str) -> dict[str, str]:
    """Headers that authenticate a request as the owner."""
    return {"Authorization": f"Bearer {owner_token}"}


@pytest.fixture
def non_owner_headers(cognito_pool: CognitoPool) -> dict[str, str]:
    """Headers with a valid ID token of a pool user who is not in the `owner` group."""
    cognito_pool.add_user("someone@portfolio.example", "Someone-Passw0rd!")
    tokens = cognito_pool.login("someone@portfolio.example", "Someone-Passw0rd!")
    return {"Authorization": f"Bearer {tokens['IdToken']}"}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    """template.yaml as plain data (`!Ref` in long form), for the template tests."""
    from tests.test_template import load_template

    return load_template()


@pytest.fixture(scope="module")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """The CloudFormation that `sam deploy` would submit, translated offline."""
    from tests.test_template import transform

    return transform(template)
