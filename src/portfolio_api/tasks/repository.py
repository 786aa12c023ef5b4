"""DynamoDB access for tasks: one partition in creation order, GSI1 in due-date order."""

from __future__ import annotations

from datetime import date
from typing import Any

from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.table import ConditionFailed, Expression, Page, Table
from portfolio_api.errors import Conflict, NotFound, PreconditionFailed

NOT_FOUND = "Task not found"
KEY_ATTRIBUTES = ("PK", "SK", "GSI1PK", "GSI1SK")


def _public(item: Item) -> Item:
    return {k: v for k, v in item.items() if k not in KEY_ATTRIBUTES}


def _failed(*, table: Table, task_id: str) -> Exception:
    """Tell why a conditional write failed: the task is gone, or its version moved on."""
    current = table.get(keys.task(task_id), consistent=True)
    if current is None:
        return NotFound(NOT_FOUND)
    return PreconditionFailed(
        "The task changed since you read it; fetch it again and retry",
        details={"currentVersion": current["version"]},
    )


def _version_condition(expected: int | None, expr: Expression) -> str:
    condition = "attribute_exists(PK)"
    if expected is not None:
        expr.names["#version"] = "version"
        expr.values[":expected"] = expected
        condition += " AND #version = :expected"
    return condition


def create(*, table: Table, task: Item, due: date | None) -> None:
    """Store a new task (its id must be new)."""
    item = {**keys.task(task["id"]), **keys.task_due_entry(task["id"], due), **task}
    try:
        table.put(item, condition="attribute_not_exists(PK)")
    except ConditionFailed:
        raise Conflict("A task with this id already exists; retry") from None


def get(*, table: Table, task_id: str) -> Item | None:
    """The task, or None."""
    item = table.get(keys.task(task_id))
    return _public(item) if item else None


def update(
    *,
    table: Table,
    task_id: str,
    changes: dict[str, Any],
    removals: list[str],
    due_changed: bool,
    now: str,
    expected: int | None,
) -> Item:
    """Set `changes`, remove `removals`, bump the version; only if the version is `expected`."""
    expr = Expression(
        names={"#updatedAt": "updatedAt", "#version": "version"},
        values={":now": now, ":one": 1},
    )
    sets = ["#updatedAt = :now", "#version = #version + :one"]
    for i, (name, value) in enumerate(changes.items()):
        expr.names[f"#s{i}"] = name
        expr.values[f":s{i}"] = value
        sets.append(f"#s{i} = :s{i}")
    if due_changed:
        due = changes.get("dueDate")
        expr.names["#gsi1sk"] = "GSI1SK"
        expr.values[":gsi1sk"] = keys.task_due_entry(
            task_id, date.fromisoformat(due) if due else None
        )["GSI1SK"]
        sets.append("#gsi1sk = :gsi1sk")
    update = "SET " + ", ".join(sets)
    if removals:
        for i, name in enumerate(removals):
            expr.names[f"#r{i}"] = name
        update += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removals)))
    try:
        item = table.update(
            keys.task(task_id),
            update=update,
            expr=expr,
            condition=_version_condition(expected, expr),
            landed=lambda stored: (
                stored.get("updatedAt") == now
                and all(stored.get(name) == value for name, value in changes.items())
                and not any(name in stored for name in removals)
            ),
        )
    except ConditionFailed:
        raise _failed(table=table, task_id=task_id) from None
    return _public(item)


def delete(*, table: Table, task_id: str, expected: int | None) -> None:
    """Delete the task, only if its version is `expected`."""
    expr = Expression()
    try:
        table.delete(keys.task(task_id), condition=_version_condition(expected, expr), expr=expr)
    except ConditionFailed:
        raise _failed(table=table, task_id=task_id) from None


def query(
    *,
    table: Table,
    status: str | None,
    due_before: date | None,
    by_due: bool,
    limit: int,
    cursor: str | None,
) -> Page:
    """One page of tasks, newest first or soonest due first, optionally filtered."""
    expr = Expression()
    filters: list[str] = []
    if by_due:
        expr.values[":pk"] = keys.task_due_partition()
        key_condition = "GSI1PK = :pk"
        if due_before is not None:
            expr.values[":before"] = keys.task_due_before(due_before)
            key_condition += " AND GSI1SK < :before"
    else:
        expr.values[":pk"] = keys.task_partition()
        key_condition = "PK = :pk"
        if due_before is not None:
            expr.names["#due"] = "dueDate"
            expr.values[":before"] = due_before.isoformat()
            filters.append("#due < :before")
    if status is not None:
        expr.names["#status"] = "status"
        expr.values[":status"] = status
        filters.append("#status = :status")
    page = table.query(
        key_condition=key_condition,
        expr=expr,
        index="GSI1" if by_due else None,
        forward=by_due,
        limit=limit,
        cursor_token=cursor,
        filter_expression=" AND ".join(filters) or None,
    )
    return Page(items=[_public(item) for item in page.items], next_cursor=page.next_cursor)
