"""Visitor counting rules."""

from __future__ import annotations

from portfolio_api.db.table import Table
from portfolio_api.visitors import repository


def track(*, table: Table) -> tuple[int, bool]:
    """Count one visit; return the new total and whether this visit was counted."""
    return repository.increment_total(table=table), True


def count(*, table: Table) -> int:
    """The all-time number of counted visits."""
    return repository.get_total(table=table)
