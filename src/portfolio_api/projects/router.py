"""Routes of the contract's `Projects` tag. Reads are public (drafts only for the owner);
changes are owner-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from portfolio_api.auth.dependencies import CurrentOwner, OptionalOwner
from portfolio_api.blocking import BlockingRoute
from portfolio_api.clock import ClockDep
from portfolio_api.content import http
from portfolio_api.content import service as content
from portfolio_api.content.http import ExpectedVersion, ListQueryDep
from portfolio_api.content.schemas import PublishRequest
from portfolio_api.deps import TableDep
from portfolio_api.errors import error_responses
from portfolio_api.projects.schemas import (
    Project,
    ProjectCreate,
    ProjectList,
    ProjectUpdate,
)
from portfolio_api.projects.service import PROJECTS

router = APIRouter(
    route_class=BlockingRoute,
    prefix="/v1/projects",
    tags=["Projects"],
    responses=error_responses(503),
)

ProjectId = Annotated[str, Path(alias="projectId", max_length=100, description="The project's id")]


@router.get(
    "",
    operation_id="listProjects",
    summary="List projects",
    response_model=ProjectList,
    responses=http.LIST_ERRORS,
)
def list_projects(
    request: Request,
    table: TableDep,
    clock: ClockDep,
    query: ListQueryDep,
    featured: Annotated[bool | None, Query()] = None,
) -> Response:
    """Projects, most recently published first (public: published and due only)."""
    now = clock.now()
    listing = content.list_items(
        table=table,
        kind=PROJECTS,
        status=query.status,
        filters={"featured": featured},
        public=query.public,
        now=now,
        limit=query.limit,
        offset=query.offset,
        cursor=query.cursor,
    )
    body = ProjectList(
        projects=[http.present(Project, item, now) for item in listing.items],
        total=listing.total,
        limit=query.limit,
        offset=query.offset,
        next_cursor=listing.next_cursor,
    )
    return http.respond_cached(request, body, public=query.public)


@router.post(
    "",
    operation_id="createProject",
    summary="Create project",
    status_code=201,
    response_model=Project,
    responses=http.CREATE_ERRORS,
)
def create_project(
    body: ProjectCreate, owner: CurrentOwner, table: TableDep, clock: ClockDep
) -> Response:
    """A new draft."""
    now = clock.now()
    fields = body.model_dump(mode="json", by_alias=True)
    item = content.create(table=table, kind=PROJECTS, fields=fields, now=now)
    return http.respond_written(
        Project,
        item,
        now,
        status_code=201,
        location=f"{router.prefix}/{item['id']}",
    )


@router.get(
    "/{projectId}",
    operation_id="getProject",
    summary="Get project by ID",
    response_model=Project,
    responses=http.ITEM_READ_ERRORS,
)
def get_project(
    request: Request, project_id: ProjectId, owner: OptionalOwner, table: TableDep, clock: ClockDep
) -> Response:
    """One project; drafts and scheduled ones are 404s to the public."""
    now = clock.now()
    item = content.get(table=table, kind=PROJECTS, ref=project_id, owner=owner is not None, now=now)
    return http.respond_cached(
        request,
        http.present(Project, item, now),
        public=owner is None,
        etag=http.item_etag(item, now=now),
    )


@router.put(
    "/{projectId}",
    operation_id="updateProject",
    summary="Update project",
    response_model=Project,
    responses=http.WRITE_ERRORS,
)
def update_project(
    project_id: ProjectId,
    body: ProjectUpdate,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """Change the fields sent (and only those); honours If-Match."""
    now = clock.now()
    fields = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    item = content.update(
        table=table,
        kind=PROJECTS,
        item_id=project_id,
        fields=fields,
        expected_version=version,
        now=now,
    )
    return http.respond_written(Project, item, now)


@router.delete(
    "/{projectId}",
    operation_id="deleteProject",
    summary="Delete project",
    status_code=204,
    response_class=Response,
    responses=http.DELETE_ERRORS,
)
def delete_project(
    project_id: ProjectId,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """Delete a project and its publication; honours If-Match."""
    content.delete(
        table=table, kind=PROJECTS, item_id=project_id, expected_version=version, now=clock.now()
    )
    return Response(status_code=204)


@router.post(
    "/{projectId}/publish",
    operation_id="publishProject",
    summary="Publish or schedule project",
    response_model=Project,
    responses=http.WRITE_ERRORS,
)
def publish_project(
    project_id: ProjectId,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
    body: Annotated[PublishRequest | None, Body()] = None,
) -> Response:
    """Publish now, or at a future `publishAt` (scheduled: public from that moment on).

    Without a `publishAt`, a scheduled item goes live now; a live one is left as it is.
    """
    now = clock.now()
    item = content.publish(
        table=table,
        kind=PROJECTS,
        item_id=project_id,
        publish_at=body.publish_at if body else None,
        expected_version=version,
        now=now,
    )
    return http.respond_written(Project, item, now)


@router.post(
    "/{projectId}/unpublish",
    operation_id="unpublishProject",
    summary="Unpublish project",
    response_model=Project,
    responses=http.WRITE_ERRORS,
)
def unpublish_project(
    project_id: ProjectId,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """Back to draft (cancels a schedule too); honours If-Match."""
    now = clock.now()
    item = content.unpublish(
        table=table, kind=PROJECTS, item_id=project_id, expected_version=version, now=now
    )
    return http.respond_written(Project, item, now)
