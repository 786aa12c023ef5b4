"""Routes of the `Resume` tag: the owner's JSON Resume, its publication and its PDF.

Public on purpose: `GET /v1/resume` (the published copy; the owner gets the draft) and
`GET /v1/resume/pdf`. Everything else is owner-only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from portfolio_api import aws
from portfolio_api.auth.dependencies import CurrentOwner, OptionalOwner
from portfolio_api.blocking import BlockingRoute
from portfolio_api.clock import ClockDep
from portfolio_api.content import http
from portfolio_api.deps import IfMatch, SettingsDep, TableDep
from portfolio_api.errors import error_doc, error_responses
from portfolio_api.resume import service
from portfolio_api.resume.schemas import PdfLink, Resume, ResumeView
from portfolio_api.resume.service import PdfStore, Rendered
from portfolio_api.resume.storage import S3PdfStore

router = APIRouter(
    route_class=BlockingRoute, prefix="/v1/resume", tags=["Resume"], responses=error_responses(503)
)

_RESUME_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Resume"}},
        },
    }
}
_MERGE_PATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/merge-patch+json": {"schema": {"type": "object"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    **error_responses(401, 403),
    404: error_doc("No resume yet"),
    **error_responses(412),
}


def get_pdf_store(settings: SettingsDep) -> PdfStore:
    """The bucket that keeps rendered PDFs."""
    return S3PdfStore(client=aws.s3_client(settings), bucket=settings.s3_bucket_name)


PdfStoreDep = Annotated[PdfStore, Depends(get_pdf_store)]


def _headers(rendered: Rendered) -> dict[str, str]:
    return {"ETag": rendered.etag, "Cache-Control": "no-cache", "Vary": "Authorization"}


def _respond(rendered: Rendered, *, jsonresume: bool = False, status_code: int = 200) -> Response:
    if jsonresume:
        content = rendered.document
    else:
        view = rendered.view.model_dump(mode="json", by_alias=True, exclude={"resume"})
        content = {"resume": rendered.document, **view}
    return JSONResponse(content, status_code=status_code, headers=_headers(rendered))


@router.get(
    "",
    operation_id="getResume",
    summary="Get the resume",
    # `format=jsonresume` answers the bare document.
    response_model=ResumeView | Resume,
    # No 401: OptionalOwner reads a bad token as anonymous.
    responses={304: http.READ_ERRORS[304], 404: _ERRORS[404]},
)
def get_resume(
    request: Request,
    table: TableDep,
    owner: OptionalOwner,
    format: Annotated[
        Literal["jsonresume"] | None,
        Query(description="`jsonresume`: the bare JSON Resume document, for export"),
    ] = None,
) -> Response:
    """The published resume; the owner gets the draft. 304 when If-None-Match matches."""
    rendered = service.get(table=table, draft=owner is not None)
    if http.etag_matches(request, rendered.etag):
        return Response(status_code=304, headers=_headers(rendered))
    return _respond(rendered, jsonresume=format == "jsonresume")


@router.put(
    "",
    operation_id="replaceResume",
    summary="Replace the resume draft",
    response_model=ResumeView,
    responses={201: {"model": ResumeView, "description": "First save"}, **_ERRORS},
    openapi_extra=_RESUME_BODY,
)
def replace_resume(
    owner: CurrentOwner,
    table: TableDep,
    clock: ClockDep,
    expected: IfMatch,
    document: Annotated[dict[str, Any], Body()],
) -> Response:
    """Replace the draft with a JSON Resume document (or the resume builder's shape)."""
    rendered = service.replace(table=table, clock=clock, document=document, expected=expected)
    return _respond(rendered, status_code=201 if rendered.view.version == 1 else 200)


@router.patch(
    "",
    operation_id="patchResume",
    summary="Merge-patch the resume draft",
    response_model=ResumeView,
    responses={
        **_ERRORS,
        409: error_doc("Without If-Match: the resume changed while the patch was applied"),
    },
    openapi_extra=_MERGE_PATCH_BODY,
)
def patch_resume(
    owner: CurrentOwner,
    table: TableDep,
    clock: ClockDep,
    expected: IfMatch,
    patch: Annotated[dict[str, Any], Body()],
) -> Response:
    """JSON Merge Patch (RFC 7396): given properties change, `null` deletes, arrays replace."""
    rendered = service.patch(table=table, clock=clock, patch=patch, expected=expected)
    return _respond(rendered)


@router.post(
    "/publish",
    operation_id="publishResume",
    summary="Publish the resume draft",
    response_model=ResumeView,
    responses=_ERRORS,
)
def publish_resume(
    owner: CurrentOwner, table: TableDep, clock: ClockDep, expected: IfMatch
) -> Response:
    """Make the draft, as it is now, the public resume."""
    return _respond(service.publish(table=table, clock=clock, expected=expected))


@router.get(
    "/pdf",
    operation_id="getResumePdf",
    summary="Download the published resume as PDF",
    response_model=PdfLink,
    responses={
        302: {"description": "With `redirect=true`: `Location` is the pre-signed URL"},
        404: _ERRORS[404],
        503: error_doc("S3 unavailable"),
    },
)
def get_resume_pdf(
    table: TableDep,
    store: PdfStoreDep,
    clock: ClockDep,
    redirect: Annotated[
        bool, Query(description="Answer with a 302 to the PDF instead of JSON")
    ] = False,
) -> Any:
    """A pre-signed URL (about an hour) of the published resume's PDF."""
    link = service.pdf_link(table=table, store=store, clock=clock)
    if redirect:
        return RedirectResponse(link.url, status_code=302, headers={"Cache-Control": "no-store"})
    return JSONResponse(
        link.model_dump(mode="json", by_alias=True), headers={"Cache-Control": "no-store"}
    )
