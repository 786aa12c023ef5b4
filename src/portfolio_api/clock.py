"""The one source of "now", replaceable in tests (scheduled publishing, daily salts, trends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Protocol

from fastapi import Depends, Request


class Clock(Protocol):
    """Anything that tells the current UTC time."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and demos."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. `advance(days=1)`."""
        self.at += timedelta(**delta)


def iso(moment: datetime) -> str:
    """A UTC timestamp as fixed-width ISO 8601 with milliseconds (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def get_clock(request: Request) -> Clock:
    """The app's clock (`app.state.clock`, the system clock unless a test replaced it)."""
    # `async def`: no I/O, so no thread-pool round trip per request (see deps.py).
    clock: Clock = getattr(request.app.state, "clock", None) or SystemClock()
    return clock


ClockDep = Annotated[Clock, Depends(get_clock)]
