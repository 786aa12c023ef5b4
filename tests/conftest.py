"""Shared fixtures: moto in-process AWS, settings, the table and an HTTP client on the app."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto import mock_aws
from pydantic import SecretStr

from portfolio_api import aws
from portfolio_api.config import Settings
from portfolio_api.db import schema
from portfolio_api.db.table import Table
from portfolio_api.main import create_app

TEST_REGION = "us-east-1"
TEST_ORIGIN = "https://portfolio.example"

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


@pytest.fixture
def aws_mock() -> Iterator[None]:
    """An empty in-process AWS account (moto)."""
    aws.reset_clients()
    with mock_aws():
        yield
    aws.reset_clients()


@pytest.fixture
def settings() -> Settings:
    """Settings as a deployed environment would have them, pointing at the moto account."""
    return Settings(
        environment="test",
        log_level="INFO",
        dynamodb_table_name="portfolio-test",
        s3_bucket_name="portfolio-test-files",
        cors_origins=[TEST_ORIGIN],
        cursor_secret=SecretStr("test-cursor-secret"),
    )


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
