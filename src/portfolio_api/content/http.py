"""HTTP concerns shared by the content routers: ETags, If-Match, caching, list parameters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel

from portfolio_api.auth.dependencies import OptionalOwner, RejectedToken
from portfolio_api.content import service
from portfolio_api.content.repository import ListStatus
from portfolio_api.db.codec import Item
from portfolio_api.deps import ExpectedVersion
from portfolio_api.errors import BadRequest, Forbidden, error_doc, error_responses
from portfolio_api.etags import version_etag

JSON = "application/json"

__all__ = ["ExpectedVersion"]  # routers take it from here with the rest

Model = TypeVar("Model", bound=BaseModel)

PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=300"
"""Anonymous reads: CDNs and browsers may reuse them briefly and revalidate in the background."""
PRIVATE_CACHE = "private, no-cache"
"""The owner's reads may include drafts: never in a shared cache, always revalidated."""
NO_STORE = "no-store"

# What each route can answer besides the app-wide 400, 413 (body size), 500 and 503; nothing
# it cannot, since generated clients and the docs read these as the route's outcomes.
_OWNER_ERRORS: dict[int | str, dict[str, Any]] = error_responses(401, 403)
_ITEM_SIZE = error_doc("The item would exceed DynamoDB's item size")
CREATE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_OWNER_ERRORS,
    409: error_doc("Slug taken, or changed concurrently"),
    413: _ITEM_SIZE,
}
"""POST of a new item: no item to miss, no If-Match to honour."""
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_OWNER_ERRORS,
    404: error_doc("No such item"),
    409: error_doc("Slug taken, or changed concurrently"),
    412: error_doc("If-Match names an older version"),
    413: _ITEM_SIZE,
}
"""Changes of an existing item (update, publish, unpublish)."""
DELETE_ERRORS: dict[int | str, dict[str, Any]] = {
    **{code: WRITE_ERRORS[code] for code in (401, 403, 404, 412)},
    **error_responses(409),
}
"""DELETE writes no item, so it cannot outgrow DynamoDB's item size, nor take a slug."""
READ_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified (If-None-Match matched the ETag)"},
}
"""Public reads with an ETag (categories, feed, sitemap)."""
ITEM_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    404: error_doc("No such published item"),
}
"""Item reads, which take an optional owner token (drafts for the owner); no 401: a token
that proves nothing reads as anonymous (`OptionalOwner`)."""
LIST_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    401: error_doc(
        "`status` other than `published` with a token that is malformed, expired or signed"
        " out (log in again); with `status` omitted such a token reads as anonymous"
    ),
    403: error_doc("`status` other than `published` without a token, or with a non-owner's"),
}
"""Lists: drafts only for the owner. A stale token is a 401 only when it asks for drafts."""


@dataclass(frozen=True)
class ListQuery:
    """The paging and status parameters every content list accepts."""

    status: ListStatus
    limit: int
    offset: int
    cursor: str | None
    public: bool


async def list_query(
    owner: OptionalOwner,
    rejected: RejectedToken,
    status: Annotated[
        Literal["published", "draft", "all"],
        Query(description="`draft` and `all` are for the owner only"),
    ] = "published",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, description="Items to skip (prefer `cursor`)")] = 0,
    cursor: Annotated[
        str | None, Query(max_length=2100, description="`nextCursor` of the previous page")
    ] = None,
) -> ListQuery:
    """Validated list parameters: only the owner may ask for drafts."""
    if owner is None and status != "published":
        # A dashboard whose session ended learns it here, as on the owner-only routes; the
        # same stale token on a public list still reads it as anyone would.
        if rejected is not None:
            raise rejected
        raise Forbidden("Only the owner can list drafts", details={"field": "status"})
    if cursor and offset:
        raise BadRequest("Use either cursor or offset, not both", details={"field": "offset"})
    return ListQuery(status, limit, offset, cursor, public=owner is None)


ListQueryDep = Annotated[ListQuery, Depends(list_query)]


def item_etag(item: Item, *, now: datetime) -> str:
    """The strong ETag of a content item as shown at `now`: its version, and a variant naming
    the item and whether it is still scheduled. So neither another item later shown at the same
    slug URL (with the same version) nor a scheduled item gone live (same version, `scheduled`
    now false) answers 304 to a tag cached before."""
    scheduled = service.is_scheduled(item, now=now)
    variant = hashlib.sha256(f"{item['id']}|{scheduled}".encode()).hexdigest()[:8]
    return version_etag(item["version"], variant=variant)


def present(schema: type[Model], item: Item, now: datetime) -> Model:
    """A stored item as its response schema."""
    return schema.model_validate(service.view(item, now=now))


def etag_matches(request: Request, etag: str) -> bool:
    """True when `If-None-Match` names `etag` (weak comparison) or is `*`: answer 304."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    candidates = {value.strip().removeprefix("W/") for value in header.split(",")}
    return "*" in candidates or etag in candidates


def respond_cached(
    request: Request, body: BaseModel, *, public: bool, etag: str | None = None
) -> Response:
    """A GET answer with an ETag and Cache-Control; 304 when If-None-Match matches."""
    content = _json(body)
    if etag is None:
        etag = _content_etag(body, content)
    headers = {
        "ETag": etag,
        "Cache-Control": PUBLIC_CACHE if public else PRIVATE_CACHE,
        "Vary": "Authorization",
    }
    if etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=JSON, headers=headers)


def _content_etag(body: BaseModel, content: bytes) -> str:
    """The digest of the answer's bytes; for a list, with its `nextCursor` as the data it
    stands for, so the same list read a moment later (a public cursor pins the moment of its
    walk) keeps its ETag."""
    cursor = getattr(body, "next_cursor", None)
    if isinstance(cursor, str):
        stable = body.model_copy(update={"next_cursor": service.cursor_identity(cursor)})
        content = _json(stable)
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def respond_written(
    schema: type[Model],
    item: Item,
    now: datetime,
    *,
    status_code: int = 200,
    location: str | None = None,
) -> Response:
    """The answer to a change: the item as `schema`, its new ETag, never cached."""
    headers = {"ETag": item_etag(item, now=now), "Cache-Control": NO_STORE}
    if location:
        headers["Location"] = location
    body = present(schema, item, now)
    return Response(_json(body), status_code=status_code, media_type=JSON, headers=headers)


def _json(body: BaseModel) -> bytes:
    # Pydantic's serializer writes the bytes JSONResponse(jsonable_encoder(body)) would (compact,
    # UTF-8, same key order), 7x faster for a page of posts (0.10 vs 0.73 ms), and only once.
    return body.model_dump_json(by_alias=True).encode()


def not_modified_or(request: Request, content: bytes, media_type: str) -> Response:
    """A public, cacheable non-JSON answer (feeds) with a content ETag; 304 when unchanged."""
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": PUBLIC_CACHE}
    if etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media_type, headers=headers)
