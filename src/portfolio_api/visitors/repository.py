"""DynamoDB access for visitor counters."""

from __future__ import annotations

from portfolio_api.db import keys
from portfolio_api.db.table import Expression, Table


def increment_total(*, table: Table) -> int:
    """Add one to the all-time counter atomically and return the new value."""
    attributes = table.update(
        keys.visitor_total(),
        update="ADD #count :one",
        expr=Expression(names={"#count": "count"}, values={":one": 1}),
        return_values="UPDATED_NEW",
    )
    return int(attributes["count"])


def get_total(*, table: Table) -> int:
    """The all-time counter (0 before the first visit)."""
    item = table.get(keys.visitor_total())
    return int(item["count"]) if item else 0
