"""Routes of the contract's `Certifications` tag. Reads are public (drafts only for the owner);
changes are owner-only."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, Request, Response

from portfolio_api.auth.dependencies import CurrentOwner, OptionalOwner
from portfolio_api.blocking import BlockingRoute
from portfolio_api.certifications.schemas import (
    Certification,
    CertificationCreate,
    CertificationList,
    CertificationUpdate,
)
from portfolio_api.certifications.service import CERTIFICATIONS, check_date_earned
from portfolio_api.clock import ClockDep
from portfolio_api.content import http
from portfolio_api.content import service as content
from portfolio_api.content.http import ExpectedVersion, ListQueryDep
from portfolio_api.content.schemas import PublishRequest
from portfolio_api.deps import TableDep
from portfolio_api.errors import error_responses

router = APIRouter(
    route_class=BlockingRoute,
    prefix="/v1/certifications",
    tags=["Certifications"],
    responses=error_responses(503),
)

CertificationId = Annotated[
    str, Path(alias="certificationId", max_length=100, description="The certification's id")
]


@router.get(
    "",
    operation_id="listCertifications",
    summary="List certifications",
    response_model=CertificationList,
    responses=http.LIST_ERRORS,
)
def list_certifications(
    request: Request,
    table: TableDep,
    clock: ClockDep,
    query: ListQueryDep,
    type: Annotated[Literal["certification", "course"] | None, Query()] = None,
    featured: Annotated[bool | None, Query()] = None,
) -> Response:
    """Certifications and courses, most recently earned first (public: published only)."""
    now = clock.now()
    listing = content.list_items(
        table=table,
        kind=CERTIFICATIONS,
        status=query.status,
        filters={"type": type, "featured": featured},
        public=query.public,
        now=now,
        limit=query.limit,
        offset=query.offset,
        cursor=query.cursor,
    )
    body = CertificationList(
        certifications=[http.present(Certification, item, now) for item in listing.items],
        total=listing.total,
        limit=query.limit,
        offset=query.offset,
        next_cursor=listing.next_cursor,
    )
    return http.respond_cached(request, body, public=query.public)


@router.post(
    "",
    operation_id="createCertification",
    summary="Create certification",
    status_code=201,
    response_model=Certification,
    responses=http.CREATE_ERRORS,
)
def create_certification(
    body: CertificationCreate, owner: CurrentOwner, table: TableDep, clock: ClockDep
) -> Response:
    """A new draft."""
    now = clock.now()
    check_date_earned(date_earned=body.date_earned, now=now)
    fields = body.model_dump(mode="json", by_alias=True)
    item = content.create(table=table, kind=CERTIFICATIONS, fields=fields, now=now)
    return http.respond_written(
        Certification,
        item,
        now,
        status_code=201,
        location=f"{router.prefix}/{item['id']}",
    )


@router.get(
    "/{certificationId}",
    operation_id="getCertification",
    summary="Get certification by ID",
    response_model=Certification,
    responses=http.ITEM_READ_ERRORS,
)
def get_certification(
    request: Request,
    certification_id: CertificationId,
    owner: OptionalOwner,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """One certification; drafts and scheduled ones are 404s to the public."""
    now = clock.now()
    item = content.get(
        table=table, kind=CERTIFICATIONS, ref=certification_id, owner=owner is not None, now=now
    )
    return http.respond_cached(
        request,
        http.present(Certification, item, now),
        public=owner is None,
        etag=http.item_etag(item, now=now),
    )


@router.put(
    "/{certificationId}",
    operation_id="updateCertification",
    summary="Update certification",
    response_model=Certification,
    responses=http.WRITE_ERRORS,
)
def update_certification(
    certification_id: CertificationId,
    body: CertificationUpdate,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """Change the fields sent (and only those); honours If-Match."""
    now = clock.now()
    check_date_earned(date_earned=body.date_earned, now=now)
    fields = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    item = content.update(
        table=table,
        kind=CERTIFICATIONS,
        item_id=certification_id,
        fields=fields,
        expected_version=version,
        now=now,
    )
    return http.respond_written(Certification, item, now)


@router.delete(
    "/{certificationId}",
    operation_id="deleteCertification",
    summary="Delete certification",
    status_code=204,
    response_class=Response,
    responses=http.DELETE_ERRORS,
)
def delete_certification(
    certification_id: CertificationId,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """Delete a certification and its publication; honours If-Match."""
    content.delete(
        table=table,
        kind=CERTIFICATIONS,
        item_id=certification_id,
        expected_version=version,
        now=clock.now(),
    )
    return Response(status_code=204)


@router.post(
    "/{certificationId}/publish",
    operation_id="publishCertification",
    summary="Publish or schedule certification",
    response_model=Certification,
    responses=http.WRITE_ERRORS,
)
def publish_certification(
    certification_id: CertificationId,
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
        kind=CERTIFICATIONS,
        item_id=certification_id,
        publish_at=body.publish_at if body else None,
        expected_version=version,
        now=now,
    )
    return http.respond_written(Certification, item, now)


@router.post(
    "/{certificationId}/unpublish",
    operation_id="unpublishCertification",
    summary="Unpublish certification",
    response_model=Certification,
    responses=http.WRITE_ERRORS,
)
def unpublish_certification(
    certification_id: CertificationId,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """Back to draft (cancels a schedule too); honours If-Match."""
    now = clock.now()
    item = content.unpublish(
        table=table,
        kind=CERTIFICATIONS,
        item_id=certification_id,
        expected_version=version,
        now=now,
    )
    return http.respond_written(Certification, item, now)
