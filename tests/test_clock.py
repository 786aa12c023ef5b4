"""Timestamps are fixed-width UTC strings that sort as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from portfolio_api.clock import FixedClock, iso


def test_iso_is_utc_with_milliseconds() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 678900, tzinfo=timezone(timedelta(hours=2)))
    assert iso(moment) == "2026-01-02T01:04:05.678Z"


def test_iso_strings_sort_like_the_moments() -> None:
    early = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert iso(early) < iso(early + timedelta(milliseconds=1)) < iso(early + timedelta(days=400))


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2026, 1, 1, tzinfo=UTC)
    clock.advance(days=1, hours=2)
    assert clock.now() == datetime(2026, 1, 2, 2, tzinfo=UTC)
