"""Fixtures of the analytics tests: a clock the tests move and publication markers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI

from portfolio_api.clock import FixedClock, iso
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.visitors.conftest import START


@pytest.fixture
def clock(app: FastAPI) -> FixedClock:
    """The app's clock, standing at noon UTC on 7 March 2025 until a test moves it."""
    fixed = FixedClock(START)
    app.state.clock = fixed
    return fixed


def publish(
    table: Table, kind: str, item_id: str, *, at: datetime | None = None, views: int = 0
) -> None:
    """The publication marker the content feature keeps for a published (or scheduled) item,
    with the views counted so far."""
    moment = at or START - timedelta(days=1)
    marker = {**keys.content_publication(kind, item_id), "publishAt": iso(moment)}
    table.put({**marker, "views": views} if views else marker)
