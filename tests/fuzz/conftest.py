"""Fixtures of the fuzz tests: one app on moto per module, seeded, and a case tally.

The app is built once per module (like DynamoDB, it keeps what the cases write): a fresh
moto account for each of the hundred tests would cost more than the fuzzing itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto import mock_aws

from portfolio_api import aws
from portfolio_api.db import schema
from portfolio_api.main import create_app
from tests.conftest import new_cognito_pool, settings_for
from tests.contract.seed import seed

CASES: Counter[str] = Counter()
"""Generated cases per operation in this process, printed at the end of the run."""


LOGOUT_OWNER = "logout-owner@portfolio.example"
"""A second member of the owner group, whose token the `logout` operation is fuzzed with: a
logout refuses every token its user holds, and the owner's must keep working for the rest."""


@dataclass(frozen=True)
class FuzzTarget:
    """The app under fuzzing, the owner's headers for it, and those `logout` is fuzzed with."""

    app: FastAPI
    owner_headers: dict[str, str]
    logout_headers: dict[str, str]


@pytest.fixture(scope="module")
def fuzz_target(jwks_file_url: str) -> Iterator[FuzzTarget]:
    """The app on moto (table, user pool, bucket) with published content of every kind."""
    aws.reset_clients()
    with mock_aws():
        pool = new_cognito_pool()
        settings = settings_for(pool, jwks_file_url)
        schema.create_table(aws.dynamodb_client(settings), settings.dynamodb_table_name)
        aws.s3_client(settings).create_bucket(Bucket=settings.s3_bucket_name)
        tokens = pool.login(pool.owner_email, pool.owner_password)
        owner_headers = {"Authorization": f"Bearer {tokens['IdToken']}"}
        pool.add_user(LOGOUT_OWNER, pool.owner_password, groups=("owner",))
        logout_tokens = pool.login(LOGOUT_OWNER, pool.owner_password)
        logout_headers = {"Authorization": f"Bearer {logout_tokens['IdToken']}"}
        app = create_app(settings)
        with TestClient(app, raise_server_exceptions=False) as client:
            seed(client, owner_headers)
        yield FuzzTarget(app=app, owner_headers=owner_headers, logout_headers=logout_headers)
    aws.reset_clients()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Cases per operation, so that a run shows how deep it went."""
    if not CASES:
        return
    terminalreporter.section("generated cases per operation")
    for label, count in sorted(CASES.items()):
        terminalreporter.write_line(f"{count:6d}  {label}")
    counts = CASES.values()
    terminalreporter.write_line(
        f"{sum(counts)} cases over {len(CASES)} operations (min {min(counts)}, max {max(counts)})"
    )
