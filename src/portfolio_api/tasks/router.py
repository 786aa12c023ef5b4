"""Routes of the `Tasks` tag: the owner's task list. Every route is owner-only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from portfolio_api.auth.dependencies import current_owner
from portfolio_api.blocking import BlockingRoute
from portfolio_api.clock import ClockDep
from portfolio_api.deps import ExpectedVersion, TableDep
from portfolio_api.errors import error_doc, error_responses
from portfolio_api.etags import version_etag
from portfolio_api.tasks import service
from portfolio_api.tasks.schemas import (
    TaskCreate,
    TaskList,
    TaskPublic,
    TaskSort,
    TaskStatus,
    TaskUpdate,
)

router = APIRouter(
    route_class=BlockingRoute,
    prefix="/v1/tasks",
    tags=["Tasks"],
    dependencies=[Depends(current_owner)],
    responses={
        **error_responses(401, 403, 503),
    },
)

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: error_doc("No such task")}
_PRECONDITION = error_responses(412)


def _task(task: TaskPublic, *, status_code: int = 200) -> JSONResponse:
    headers = {"ETag": version_etag(task.version), "Cache-Control": "no-store"}
    if status_code == 201:
        headers["Location"] = f"{router.prefix}/{task.id}"
    return JSONResponse(
        task.model_dump(mode="json", by_alias=True), status_code=status_code, headers=headers
    )


@router.post(
    "",
    operation_id="createTask",
    summary="Create a task",
    status_code=201,
    response_model=TaskPublic,
    responses=error_responses(409),
)
def create_task(table: TableDep, clock: ClockDep, data: TaskCreate) -> Response:
    """A new task at version 1; `Location` names it."""
    return _task(service.create(table=table, clock=clock, data=data), status_code=201)


@router.get("", operation_id="listTasks", summary="List tasks")
def list_tasks(
    table: TableDep,
    response: Response,
    status: Annotated[TaskStatus | None, Query(description="Only tasks in this status")] = None,
    due_before: Annotated[
        date | None, Query(alias="dueBefore", description="Only tasks due before this day")
    ] = None,
    sort: Annotated[
        TaskSort, Query(description="`newest` first, or `due`: soonest first, undated last")
    ] = "newest",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> TaskList:
    """One page of tasks; a filtered page may hold fewer than `limit`, so follow
    `nextCursor` until it is null."""
    response.headers["Cache-Control"] = "no-store"
    return service.get_all(
        table=table, status=status, due_before=due_before, sort=sort, limit=limit, cursor=cursor
    )


@router.get(
    "/{task_id}",
    operation_id="getTask",
    summary="Get a task",
    response_model=TaskPublic,
    responses=_NOT_FOUND,
)
def get_task(table: TableDep, task_id: str) -> Response:
    """The task; `ETag` is its version."""
    return _task(service.get(table=table, task_id=task_id))


@router.patch(
    "/{task_id}",
    operation_id="updateTask",
    summary="Update a task",
    response_model=TaskPublic,
    responses={**_NOT_FOUND, **_PRECONDITION},
)
def update_task(
    table: TableDep, clock: ClockDep, task_id: str, data: TaskUpdate, expected: ExpectedVersion
) -> Response:
    """Change the given fields (`null` clears `description`, `dueDate`, `tags`)."""
    task = service.update(table=table, clock=clock, task_id=task_id, data=data, expected=expected)
    return _task(task)


@router.delete(
    "/{task_id}",
    operation_id="deleteTask",
    summary="Delete a task",
    status_code=204,
    responses={**_NOT_FOUND, **_PRECONDITION},
)
def delete_task(table: TableDep, task_id: str, expected: ExpectedVersion) -> Response:
    """Delete the task."""
    service.delete(table=table, task_id=task_id, expected=expected)
    return Response(status_code=204)
