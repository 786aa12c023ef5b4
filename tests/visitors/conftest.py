"""Fixtures of the visitor tests: a clock the tests move, and browser-like callers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from portfolio_api.clock import FixedClock

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Safari/605.1.15"
)
START = datetime(2025, 3, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(app: FastAPI) -> FixedClock:
    """The app's clock, standing at noon UTC on 7 March 2025 until a test moves it."""
    fixed = FixedClock(START)
    app.state.clock = fixed
    return fixed


def browser(user_agent: str = FIREFOX) -> dict[str, str]:
    """Request headers of a browser."""
    return {"User-Agent": user_agent}
