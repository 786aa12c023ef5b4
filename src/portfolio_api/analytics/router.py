"""Routes of the contract's `Analytics` tag.

Public: track a view, the views of one public item. Owner only: per-type stats, top content,
total views.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from portfolio_api.analytics import service
from portfolio_api.analytics.schemas import (
    ContentType,
    ContentViews,
    ContentViewStat,
    TopContent,
    TotalViews,
    TrackedView,
    TrackView,
    ViewStats,
)
from portfolio_api.auth.dependencies import CurrentOwner
from portfolio_api.blocking import BlockingRoute
from portfolio_api.clock import ClockDep
from portfolio_api.deps import TableDep
from portfolio_api.errors import error_doc, error_responses
from portfolio_api.visitors.dependencies import CallerDep, SaltsDep
from portfolio_api.visitors.router import OWNER_ONLY

router = APIRouter(
    route_class=BlockingRoute,
    prefix="/v1/analytics",
    tags=["Analytics"],
    responses=error_responses(503),
)

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: error_doc("No such published content")}


@router.post(
    "/track",
    operation_id="trackContentView",
    summary="Track content view",
    responses={**NOT_FOUND, **error_responses(409)},
)
def track_content_view(
    body: TrackView, table: TableDep, salts: SaltsDep, caller: CallerDep, clock: ClockDep
) -> TrackedView:
    """Count the caller's first view today of a published item (robots never)."""
    views, tracked = service.track(
        table=table,
        salts=salts,
        caller=caller,
        kind=body.contentType,
        item_id=body.contentId,
        now=clock.now(),
    )
    return TrackedView(views=views, tracked=tracked)


@router.get(
    "/views/{contentType}/{contentId}",
    operation_id="getContentViewCount",
    summary="Get view count for content",
    responses=NOT_FOUND,
)
def get_content_view_count(
    contentType: ContentType,
    contentId: Annotated[str, Path(max_length=256)],
    table: TableDep,
    clock: ClockDep,
) -> ContentViews:
    """The views of a published item."""
    views = service.views(table=table, kind=contentType, item_id=contentId, now=clock.now())
    return ContentViews(contentId=contentId, contentType=contentType, views=views)


@router.get(
    "/views/{contentType}",
    operation_id="getAllViewStats",
    summary="Get all view stats for content type",
    responses=OWNER_ONLY,
)
def get_all_view_stats(owner: CurrentOwner, contentType: ContentType, table: TableDep) -> ViewStats:
    """Views of every published or scheduled item of one type (0 if never viewed) and of
    every unpublished one that has views, by content id."""
    return ViewStats(contentType=contentType, stats=service.stats(table=table, kind=contentType))


@router.get(
    "/top-content",
    operation_id="getTopContent",
    summary="Get top viewed content",
    responses=OWNER_ONLY,
)
def get_top_content(
    owner: CurrentOwner,
    table: TableDep,
    limit: Annotated[int, Query(ge=1, le=20, description="Number of items per type")] = 5,
) -> TopContent:
    """The most viewed items of each type, most viewed first."""
    top = service.top(table=table, limit=limit)

    def stats(kind: str) -> list[ContentViewStat]:
        return [ContentViewStat(contentId=item_id, views=n) for item_id, n in top[kind]]

    return TopContent(
        blogs=stats("blog"), projects=stats("project"), certifications=stats("certification")
    )


@router.get(
    "/total-views",
    operation_id="getTotalViews",
    summary="Get total views",
    responses=OWNER_ONLY,
)
def get_total_views(owner: CurrentOwner, table: TableDep) -> TotalViews:
    """Views of all content."""
    return TotalViews(totalViews=service.total(table=table))
