"""Visitor counting: one count per visitor and UTC day, robots never, and the trends."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from portfolio_api.db.table import Table
from portfolio_api.visitors import repository
from portfolio_api.visitors.identity import Caller, DailySalts, epoch_after, utc_day


def track(*, table: Table, salts: DailySalts, caller: Caller, now: datetime) -> tuple[int, bool]:
    """Count the caller's first visit of the day; return the total and whether it counted."""
    if caller.is_bot:
        return repository.get_total(table=table), False
    day = utc_day(now)
    counted = repository.record_visit(
        table=table,
        visitor=salts.visitor(table=table, day=day, caller=caller),
        day=day,
        expires_at=epoch_after(day),
    )
    return repository.get_total(table=table, consistent=True), counted


def count(*, table: Table) -> int:
    """The all-time number of counted visits."""
    return repository.get_total(table=table)


def daily_trends(*, table: Table, days: int, now: datetime) -> list[tuple[date, int]]:
    """Visitors per day for the last `days` UTC days up to today, oldest first, zero-filled."""
    today = utc_day(now)
    span = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
    return list(zip(span, repository.visitors_per_day(table=table, days=span), strict=True))


def monthly_trends(*, table: Table, months: int, now: datetime) -> list[tuple[date, int]]:
    """Visitor-days per month for the last `months` UTC months up to this one, zero-filled."""
    today = utc_day(now)
    index = today.year * 12 + today.month - 1
    span = [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]
    return list(zip(span, repository.visitors_per_month(table=table, months=span), strict=True))
