"""DynamoDB access for visitor counters, daily salts and de-dup markers."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from typing import Any

from portfolio_api.db import keys
from portfolio_api.db.keys import Key
from portfolio_api.db.table import ConditionFailed, Expression, Table
from portfolio_api.errors import Conflict

COMMIT_ATTEMPTS = 5
"""Concurrent transactions on the same counter may cancel each other (TransactionConflict);
nothing was written then, so the transaction is simply tried again."""

ABSENT = "attribute_not_exists(PK)"


def add_one(table: Table, key: Key, attribute: str) -> dict[str, Any]:
    """A transaction action that adds 1 to the number `attribute` of the item at `key`."""
    return table.update_action(
        key, update="ADD #n :one", expr=Expression(names={"#n": attribute}, values={":one": 1})
    )


def put_marker(table: Table, key: Key, *, expires_at: int) -> dict[str, Any]:
    """A transaction action that writes a de-dup marker unless it already exists."""
    return table.put_action({**key, "expiresAt": expires_at}, condition=ABSENT)


def commit(*, table: Table, actions: list[dict[str, Any]]) -> list[str]:
    """Apply `actions` atomically; [] on success, else each action's cancellation reason."""
    attempt = 1
    while True:
        try:
            table.transact_write(actions)
        except ConditionFailed as failed:
            return failed.reasons
        except Conflict:
            if attempt == COMMIT_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not crypto
            attempt += 1
        else:
            return []


def record_visit(*, table: Table, visitor: str, day: date, expires_at: int) -> bool:
    """Count `visitor` once for `day`: marker and counters together; False if already counted."""
    reasons = commit(
        table=table,
        actions=[
            put_marker(table, keys.visit_seen(visitor, day), expires_at=expires_at),
            add_one(table, keys.visitor_total(), "count"),
            add_one(table, keys.visitor_day(day), "visitors"),
        ],
    )
    return not reasons


def get_total(*, table: Table, consistent: bool = False) -> int:
    """The all-time counter (0 before the first visit)."""
    item = table.get(keys.visitor_total(), consistent=consistent)
    return int(item["count"]) if item else 0


def _numbers_between(table: Table, first: Key, last: Key, attribute: str) -> dict[str, int]:
    """`attribute` of every item of one partition whose SK lies in [first, last], by SK."""
    expr = Expression(values={":pk": first["PK"], ":first": first["SK"], ":last": last["SK"]})
    items = table.query_all(key_condition="PK = :pk AND SK BETWEEN :first AND :last", expr=expr)
    return {str(item["SK"]): int(item.get(attribute, 0)) for item in items}


def visitors_per_day(*, table: Table, days: list[date]) -> list[int]:
    """Visitors on each of `days` (consecutive, oldest first); 0 for a day without any."""
    found = _numbers_between(
        table, keys.visitor_day(days[0]), keys.visitor_day(days[-1]), "visitors"
    )
    return [found.get(keys.visitor_day(day)["SK"], 0) for day in days]


def visitors_per_month(*, table: Table, months: list[date]) -> list[int]:
    """Visitor-days in each month of `months` (consecutive firsts, oldest first): the sums of
    their day counters, read in one Query (a year of days is ~13 KB), so that a visit does not
    also have to write a month counter."""
    last = months[-1]
    end = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    days = [months[0] + timedelta(days=n) for n in range((end - months[0]).days)]
    per_day = visitors_per_day(table=table, days=days)
    totals = dict.fromkeys(months, 0)
    for day, visitors in zip(days, per_day, strict=True):
        totals[day.replace(day=1)] += visitors
    return list(totals.values())


def get_salt(*, table: Table, day: date) -> str | None:
    """The salt of `day`, if one was created."""
    item = table.get(keys.daily_salt(day), consistent=True)
    return str(item["salt"]) if item else None


def create_salt(*, table: Table, day: date, salt: str, expires_at: int) -> str:
    """Store `salt` as the salt of `day` unless another container won the race; return the
    salt that holds."""
    try:
        table.put({**keys.daily_salt(day), "salt": salt, "expiresAt": expires_at}, condition=ABSENT)
    except ConditionFailed:
        winner = get_salt(table=table, day=day)
        if winner is None:  # the winner's salt was deleted in between: nothing sane to use
            raise
        return winner
    return salt
