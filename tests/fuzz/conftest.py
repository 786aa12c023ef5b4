"""Fixtures of the fuzz tests: the app on moto with something to find, and a case tally."""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api import aws
from portfolio_api.config import Settings
from tests.contract.seed import seed

CASES: Counter[str] = Counter()
"""Generated cases per operation in this session, printed at the end of a run."""


@pytest.fixture
def fuzz_app(
    app: FastAPI, settings: Settings, client: TestClient, owner_headers: dict[str, str]
) -> FastAPI:
    """The app on moto with its bucket and published content of every kind."""
    aws.s3_client(settings).create_bucket(Bucket=settings.s3_bucket_name)
    seed(client, owner_headers)
    return app


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
