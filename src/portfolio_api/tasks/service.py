"""The owner's tasks: create, read, list, change and delete, with optimistic concurrency."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from typing import Any

from portfolio_api.clock import Clock, iso
from portfolio_api.db.table import Table
from portfolio_api.errors import NotFound, PreconditionFailed
from portfolio_api.tasks import repository
from portfolio_api.tasks.schemas import TaskCreate, TaskList, TaskPublic, TaskUpdate

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TASK_ID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")
CLEARABLE = ("description", "dueDate")


def new_task_id(now: datetime) -> str:
    """A ULID: 48 bits of milliseconds then 80 random bits, so ids sort by creation time."""
    value = (int(now.timestamp() * 1000) << 80) | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def _public(item: dict[str, Any]) -> TaskPublic:
    return TaskPublic.model_validate(item)


def _check_id(task_id: str) -> None:
    # Anything that is not one of our ids cannot be a task, and never reaches a key.
    if not TASK_ID.fullmatch(task_id):
        raise NotFound(repository.NOT_FOUND)


def create(*, table: Table, clock: Clock, data: TaskCreate) -> TaskPublic:
    """Store a new task at version 1."""
    now = clock.now()
    task = {
        "id": new_task_id(now),
        **data.model_dump(mode="json", by_alias=True, exclude_none=True),
        "createdAt": iso(now),
        "updatedAt": iso(now),
        "version": 1,
    }
    repository.create(table=table, task=task, due=data.due_date)
    return _public(task)


def get(*, table: Table, task_id: str) -> TaskPublic:
    """The task; 404 if there is none."""
    _check_id(task_id)
    item = repository.get(table=table, task_id=task_id)
    if item is None:
        raise NotFound(repository.NOT_FOUND)
    return _public(item)


def get_all(
    *,
    table: Table,
    status: str | None,
    due_before: date | None,
    sort: str,
    limit: int,
    cursor: str | None,
) -> TaskList:
    """One page of tasks (filtered pages may hold fewer than `limit`; follow `nextCursor`)."""
    page = repository.query(
        table=table,
        status=status,
        due_before=due_before,
        by_due=sort == "due",
        limit=limit,
        cursor=cursor,
    )
    return TaskList(
        tasks=[_public(item) for item in page.items], limit=limit, next_cursor=page.next_cursor
    )


def update(
    *, table: Table, clock: Clock, task_id: str, data: TaskUpdate, expected: int | None
) -> TaskPublic:
    """Change the given fields; `null` clears a clearable one. An empty change is a read."""
    _check_id(task_id)
    given = data.model_dump(mode="json", by_alias=True, include=data.model_fields_set)
    if not given:
        current = get(table=table, task_id=task_id)
        if expected is not None and expected != current.version:
            raise PreconditionFailed(
                "The task changed since you read it; fetch it again and retry",
                details={"currentVersion": current.version},
            )
        return current
    changes = {k: v for k, v in given.items() if v is not None}
    if "tags" in given:
        changes["tags"] = given["tags"] or []
    removals = [k for k in CLEARABLE if k in given and k not in changes]
    item = repository.update(
        table=table,
        task_id=task_id,
        changes=changes,
        removals=removals,
        due_changed="dueDate" in given,
        now=iso(clock.now()),
        expected=expected,
    )
    return _public(item)


def delete(*, table: Table, task_id: str, expected: int | None) -> None:
    """Delete the task; 404 if there is none."""
    _check_id(task_id)
    repository.delete(table=table, task_id=task_id, expected=expected)
