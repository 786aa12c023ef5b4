"""Settings come from the reference's environment variable names."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from portfolio_api.config import Settings


def test_reference_env_var_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "DYNAMODB_TABLE_NAME": "tbl",
        "COGNITO_USER_POOL_ID": "us-east-1_abc",
        "COGNITO_CLIENT_ID": "client",
        "COGNITO_REGION": "eu-west-1",
        "ENVIRONMENT": "prod",
        "LOG_LEVEL": "DEBUG",
        "CORS_ORIGINS": "https://a.example, https://b.example/",
        "API_BASE_PATH": "prod/",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.dynamodb_table_name == "tbl"
    assert settings.cognito_user_pool_id == "us-east-1_abc"
    assert settings.cognito_client_id == "client"
    assert settings.environment == "prod"
    assert settings.log_level == "DEBUG"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.api_base_path == "/prod"
    assert settings.cognito_issuer == "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_abc"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"AWS_REGION": "eu-west-1"}, "eu-west-1"),
        ({"AWS_DEFAULT_REGION": "ap-southeast-2"}, "ap-southeast-2"),
        ({"AWS_REGION": "eu-west-1", "COGNITO_REGION": ""}, "eu-west-1"),
        ({}, "us-east-1"),
    ],
    ids=["AWS_REGION", "AWS_DEFAULT_REGION", "empty", "nothing"],
)
def test_unset_cognito_region_follows_the_aws_region(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    # e.g. `portfolio-api sign-out` run by an operator whose AWS_REGION is the pool's
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "COGNITO_REGION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COGNITO_USER_POOL_ID", "pool")
    settings = Settings()
    assert settings.aws_region == settings.cognito_region == expected
    assert settings.cognito_issuer == f"https://cognito-idp.{expected}.amazonaws.com/pool"


def test_an_explicit_cognito_region_wins_over_the_aws_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("COGNITO_REGION", "us-west-2")
    settings = Settings()
    assert settings.aws_region == "eu-west-1"
    assert settings.cognito_region == "us-west-2"
    assert Settings(cognito_region="ca-central-1").cognito_region == "ca-central-1"


def test_wildcard_cors_origin_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "*")
    with pytest.raises(ValidationError, match="explicit origins"):
        Settings()


def test_endpoint_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:6000")
    settings = Settings()
    assert settings.endpoint_for("dynamodb") == "http://127.0.0.1:5000"
    assert settings.endpoint_for("s3") == "http://127.0.0.1:6000"


def test_unset_cursor_secrets_differ_per_process() -> None:
    assert Settings().cursor_secret != Settings().cursor_secret


def test_site_url_loses_its_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", " https://jane.example/ ")
    assert Settings().site_url == "https://jane.example"


def test_an_empty_site_url_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "")  # what the template passes when the parameter is empty
    assert Settings().site_url is None


@pytest.mark.parametrize("value", ["jane.example", "ftp://jane.example", "https://j.example/?a=1"])
def test_a_site_url_that_is_not_a_plain_http_url_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SITE_URL", value)
    with pytest.raises(ValidationError, match="SITE_URL must be an http"):
        Settings()
