"""DynamoDB access for visitor counters, daily salts and de-dup markers."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.keys import Key
from portfolio_api.db.table import ConditionFailed, Expression, Table
from portfolio_api.errors import Conflict

COMMIT_ATTEMPTS = 5
"""Concurrent transactions on the same counter may cancel each other (TransactionConflict);
nothing was written then, so the transaction is simply tried again."""

ABSENT = "attribute_not_exists(PK)"
CHECK_FAILED = "ConditionalCheckFailed"


def add(*, table: Table, key: Key, attribute: str, amount: int) -> dict[str, Any]:
    """A transaction action that adds `amount` to the number `attribute` of the item at `key`."""
    return table.update_action(
        key,
        update="ADD #n :amount",
        expr=Expression(names={"#n": attribute}, values={":amount": amount}),
    )


def put_marker(*, table: Table, key: Key, expires_at: int) -> dict[str, Any]:
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


DAY = "day"
DAY_VISITORS = "dayVisitors"
"""The total item also counts the visitors of its current day (`day`, ISO date), so that a
visit writes two items, its marker and the total; the day's count moves to the day's own item
(`DAY#<date>`) with the first visit of a later day."""
_TOTAL_NAMES = {"#count": "count", "#dayVisitors": DAY_VISITORS, "#day": DAY}


def record_visit(*, table: Table, visitor: str, day: date, expires_at: int) -> bool:
    """Count `visitor` once for `day`: marker and counters together; False if already counted.

    As a rule one transaction of two actions (4 WRU): the marker, and the total with its
    running day count, on condition that the total's day is `day`. When it is not, the total is
    read and a second transaction settles the day: the first visit of a new day moves the
    previous day's count to that day's item; a visit of a day already moved (a request that
    began just before midnight UTC) goes straight to that day's item.
    """
    marker = put_marker(table=table, key=keys.visit_seen(visitor, day), expires_at=expires_at)
    for _ in range(COMMIT_ATTEMPTS):
        reasons = commit(table=table, actions=[marker, _count_on_the_total(table, day)])
        if reasons:
            if reasons[0] == CHECK_FAILED:
                return False
            total = table.get(keys.visitor_total(), consistent=True)
            reasons = commit(table=table, actions=[marker, *_count_and_settle(table, day, total)])
        if not reasons:
            return True
        if reasons[0] == CHECK_FAILED:
            return False
    raise Conflict("The visitor counter changed at the same time; retry")


def _count_on_the_total(table: Table, day: date) -> dict[str, Any]:
    """Add the visit to the total and to its day count, if the total's day is `day`."""
    return table.update_action(
        keys.visitor_total(),
        update="ADD #count :one, #dayVisitors :one",
        condition="#day = :day",
        expr=Expression(names=dict(_TOTAL_NAMES), values={":one": 1, ":day": day.isoformat()}),
    )


def _count_and_settle(table: Table, day: date, total: Item | None) -> list[dict[str, Any]]:
    """The actions that count a visit of `day` when the total's day is another (or none),
    each conditioned on the total read, so that a concurrent change makes them fail."""
    names = dict(_TOTAL_NAMES)
    values: dict[str, Any] = {":one": 1, ":day": day.isoformat()}
    start_day = "SET #day = :day, #dayVisitors = :one ADD #count :one"
    if total is None:
        item = {**keys.visitor_total(), "count": 1, DAY: day.isoformat(), DAY_VISITORS: 1}
        return [table.put_action(item, condition=ABSENT)]
    if DAY not in total:  # written by a release that kept every day on its own item
        condition = "attribute_exists(PK) AND attribute_not_exists(#day)"
        update = table.update_action(
            keys.visitor_total(),
            update=start_day,
            condition=condition,
            expr=Expression(names=names, values=values),
        )
        return [update]
    current, counted = date.fromisoformat(str(total[DAY])), int(total[DAY_VISITORS])
    if current < day:  # the first visit of `day`: move the previous day's count to its item
        moved = Expression(
            names=names, values={**values, ":current": current.isoformat(), ":counted": counted}
        )
        return [
            table.update_action(
                keys.visitor_total(),
                update=start_day,
                condition="#day = :current AND #dayVisitors = :counted",
                expr=moved,
            ),
            add(table=table, key=keys.visitor_day(current), attribute="visitors", amount=counted),
        ]
    if current > day:  # `day`'s count was already moved: add the visit to its item
        return [
            add(table=table, key=keys.visitor_total(), attribute="count", amount=1),
            add(table=table, key=keys.visitor_day(day), attribute="visitors", amount=1),
        ]
    return [_count_on_the_total(table, day)]  # another visit moved the day meanwhile


def get_total(*, table: Table, consistent: bool = False) -> int:
    """The all-time counter (0 before the first visit)."""
    item = table.get(keys.visitor_total(), consistent=consistent)
    return int(item["count"]) if item else 0


def visitors_per_day(*, table: Table, days: list[date]) -> list[int]:
    """Visitors on each of `days` (consecutive, oldest first); 0 for a day without any.

    One Query: the day items from the first day on and the total, which sorts after them
    (`TOTAL` > `DAY#...`) and holds the count of its day. A day's visitors are the sum of both:
    a table written by an earlier release may hold part of the current day on its item.
    """
    total = keys.visitor_total()
    expr = Expression(
        values={
            ":pk": total["PK"],
            ":first": keys.visitor_day(days[0])["SK"],
            ":total": total["SK"],
        }
    )
    per_day: Counter[str] = Counter()
    for item in table.query_all(
        key_condition="PK = :pk AND SK BETWEEN :first AND :total", expr=expr
    ):
        if item["SK"] == total["SK"]:
            if DAY in item:
                per_day[keys.visitor_day(date.fromisoformat(str(item[DAY])))["SK"]] += int(
                    item[DAY_VISITORS]
                )
        else:
            per_day[str(item["SK"])] += int(item.get("visitors", 0))
    return [per_day[keys.visitor_day(day)["SK"]] for day in days]


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


def delete_salt(*, table: Table, day: date) -> None:
    """Delete the salt of `day` (nothing if there is none). TTL deletes an expired salt within
    days, not at its `expiresAt`; until a salt is gone, its day's visitor hashes can be
    recomputed."""
    table.delete(keys.daily_salt(day))
