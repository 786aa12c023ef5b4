"""Routes of the contract's `Blog Posts` tag. Reads are public (drafts only for the owner);
changes are owner-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from portfolio_api.auth.dependencies import CurrentOwner, OptionalOwner
from portfolio_api.blocking import BlockingRoute
from portfolio_api.blog.schemas import (
    BlogCategories,
    BlogPost,
    BlogPostCreate,
    BlogPostList,
    BlogPostUpdate,
)
from portfolio_api.blog.service import BLOG
from portfolio_api.clock import ClockDep
from portfolio_api.content import http
from portfolio_api.content import service as content
from portfolio_api.content.http import ExpectedVersion, ListQueryDep
from portfolio_api.content.schemas import CategoryCount, PublishRequest
from portfolio_api.deps import TableDep
from portfolio_api.errors import error_responses

router = APIRouter(
    route_class=BlockingRoute,
    prefix="/v1/blog",
    tags=["Blog Posts"],
    responses=error_responses(503),
)

PostId = Annotated[
    str,
    Path(
        alias="postId",
        max_length=100,
        description="The post's id (`post_...`); GET also takes a slug",
    ),
]
LabelFilter = Annotated[str | None, Query(max_length=50)]


@router.get(
    "/posts",
    operation_id="listBlogPosts",
    summary="List blog posts",
    response_model=BlogPostList,
    responses=http.LIST_ERRORS,
)
def list_blog_posts(
    request: Request,
    table: TableDep,
    clock: ClockDep,
    query: ListQueryDep,
    category: LabelFilter = None,
    tag: LabelFilter = None,
) -> Response:
    """Posts, newest first; the public sees only published posts whose time has come."""
    now = clock.now()
    listing = content.list_items(
        table=table,
        kind=BLOG,
        status=query.status,
        filters={"category": category, "tags": tag},
        public=query.public,
        now=now,
        limit=query.limit,
        offset=query.offset,
        cursor=query.cursor,
    )
    body = BlogPostList(
        posts=[http.present(BlogPost, item, now) for item in listing.items],
        total=listing.total,
        limit=query.limit,
        offset=query.offset,
        next_cursor=listing.next_cursor,
    )
    return http.respond_cached(request, body, public=query.public)


@router.post(
    "/posts",
    operation_id="createBlogPost",
    summary="Create blog post",
    status_code=201,
    response_model=BlogPost,
    responses=http.CREATE_ERRORS,
)
def create_blog_post(
    body: BlogPostCreate, owner: CurrentOwner, table: TableDep, clock: ClockDep
) -> Response:
    """A new draft; the slug comes from the title unless given."""
    now = clock.now()
    fields = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    item = content.create(table=table, kind=BLOG, fields=fields, now=now)
    return http.respond_written(
        BlogPost,
        item,
        now,
        status_code=201,
        location=f"{router.prefix}/posts/{item['id']}",
    )


@router.get(
    "/posts/{postId}",
    operation_id="getBlogPost",
    summary="Get blog post by ID or slug",
    response_model=BlogPost,
    responses=http.ITEM_READ_ERRORS,
)
def get_blog_post(
    request: Request, post_id: PostId, owner: OptionalOwner, table: TableDep, clock: ClockDep
) -> Response:
    """One post by id or slug; drafts and scheduled posts are 404s to the public."""
    now = clock.now()
    item = content.get(table=table, kind=BLOG, ref=post_id, owner=owner is not None, now=now)
    return http.respond_cached(
        request,
        http.present(BlogPost, item, now),
        public=owner is None,
        etag=http.item_etag(item, now=now),
    )


@router.put(
    "/posts/{postId}",
    operation_id="updateBlogPost",
    summary="Update blog post",
    response_model=BlogPost,
    responses=http.WRITE_ERRORS,
)
def update_blog_post(
    post_id: PostId,
    body: BlogPostUpdate,
    owner: CurrentOwner,
    version: ExpectedVersion,
    table: TableDep,
    clock: ClockDep,
) -> Response:
    """Change the fields sent (and only those); honours If-Match."""
    now = clock.now()
    fields = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    item = content.update(
        table=table, kind=BLOG, item_id=post_id, fields=fields, expected_version=version, now=now
    )
    return http.respond_written(BlogPost, item, now)


@router.delete(
    "/posts/{postId}",
    operation_id="deleteBlogPost",
    summary="Delete blog post",
    status_code=204,
    response_class=Response,
    responses=http.DELETE_ERRORS,
)
def delete_blog_post(
    post_id: PostId, owner: CurrentOwner, version: ExpectedVersion, table: TableDep, clock: ClockDep
) -> Response:
    """Delete a post, its slug and its publication; honours If-Match."""
    content.delete(
        table=table, kind=BLOG, item_id=post_id, expected_version=version, now=clock.now()
    )
    return Response(status_code=204)


@router.post(
    "/posts/{postId}/publish",
    operation_id="publishBlogPost",
    summary="Publish or schedule blog post",
    response_model=BlogPost,
    responses=http.WRITE_ERRORS,
)
def publish_blog_post(
    post_id: PostId,
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
        kind=BLOG,
        item_id=post_id,
        publish_at=body.publish_at if body else None,
        expected_version=version,
        now=now,
    )
    return http.respond_written(BlogPost, item, now)


@router.post(
    "/posts/{postId}/unpublish",
    operation_id="unpublishBlogPost",
    summary="Unpublish blog post",
    response_model=BlogPost,
    responses=http.WRITE_ERRORS,
)
def unpublish_blog_post(
    post_id: PostId, owner: CurrentOwner, version: ExpectedVersion, table: TableDep, clock: ClockDep
) -> Response:
    """Back to draft (cancels a schedule too); honours If-Match."""
    now = clock.now()
    item = content.unpublish(
        table=table, kind=BLOG, item_id=post_id, expected_version=version, now=now
    )
    return http.respond_written(BlogPost, item, now)


@router.get(
    "/categories",
    operation_id="listBlogCategories",
    summary="List blog categories",
    response_model=BlogCategories,
    responses=http.READ_ERRORS,
)
def list_blog_categories(request: Request, table: TableDep, clock: ClockDep) -> Response:
    """Categories of public posts, by name, with how many posts each has."""
    counts = content.labels(table=table, kind=BLOG, facet="category", now=clock.now())
    body = BlogCategories(
        categories=[name for name, _ in counts],
        counts=[CategoryCount(name=name, count=count) for name, count in counts],
    )
    return http.respond_cached(request, body, public=True)
