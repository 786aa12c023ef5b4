"""Routes of the contract's `Visitors` tag, plus the Cloud Resume Challenge counter and badge.

Public: track, count, hit (POST or GET), badge. Owner only: the trends.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from portfolio_api.auth.dependencies import CurrentOwner
from portfolio_api.blocking import BlockingRoute
from portfolio_api.clock import ClockDep
from portfolio_api.deps import TableDep
from portfolio_api.errors import error_responses
from portfolio_api.visitors import badge, service
from portfolio_api.visitors.dependencies import CallerDep, SaltsDep
from portfolio_api.visitors.schemas import (
    CounterHit,
    DailyTrends,
    DailyVisitors,
    MonthlyTrends,
    MonthlyVisitors,
    TrackedVisit,
    VisitorCount,
)

router = APIRouter(
    route_class=BlockingRoute,
    prefix="/v1/visitors",
    tags=["Visitors"],
    responses=error_responses(503),
)

BADGE_MAX_AGE_SECONDS = 60

OWNER_ONLY = error_responses(401, 403)


@router.post(
    "/track", operation_id="trackVisit", summary="Track visitor", responses=error_responses(409)
)
def track_visit(
    table: TableDep, salts: SaltsDep, caller: CallerDep, clock: ClockDep
) -> TrackedVisit:
    """Count the caller's first visit of the day (robots never) and return the total."""
    total, tracked = service.track(table=table, salts=salts, caller=caller, now=clock.now())
    return TrackedVisit(count=total, tracked=tracked)


@router.get("/count", operation_id="getVisitorCount", summary="Get visitor count")
def get_visitor_count(table: TableDep) -> VisitorCount:
    """The all-time number of counted visits."""
    return VisitorCount(count=service.count(table=table))


@router.get(
    "/trends/daily",
    operation_id="getDailyVisitorTrends",
    summary="Get daily visitor trends",
    responses=OWNER_ONLY,
)
def get_daily_visitor_trends(
    owner: CurrentOwner,
    table: TableDep,
    clock: ClockDep,
    days: Annotated[int, Query(ge=1, le=90, description="Number of days to retrieve")] = 30,
) -> DailyTrends:
    """Visitors per UTC day up to today, oldest first, with 0 for days without visits."""
    trends = service.daily_trends(table=table, days=days, now=clock.now())
    return DailyTrends(trends=[DailyVisitors.of(day, n) for day, n in trends])


@router.get(
    "/trends/monthly",
    operation_id="getMonthlyVisitorTrends",
    summary="Get monthly visitor trends",
    responses=OWNER_ONLY,
)
def get_monthly_visitor_trends(
    owner: CurrentOwner,
    table: TableDep,
    clock: ClockDep,
    months: Annotated[int, Query(ge=1, le=12, description="Number of months to retrieve")] = 6,
) -> MonthlyTrends:
    """Visitor-days per UTC month up to this one, oldest first, with 0 for empty months."""
    trends = service.monthly_trends(table=table, months=months, now=clock.now())
    return MonthlyTrends(trends=[MonthlyVisitors.of(month, n) for month, n in trends])


@router.post(
    "/hit",
    operation_id="hitVisitorCounter",
    summary="Cloud Resume Challenge counter",
    responses=error_responses(409),
    description=(
        "Counts a visit like `trackVisit` and answers the total as `count`, `visits` and "
        "`body`, so that existing resume pages work unchanged. Any request body is ignored. "
        "Callable from a browser on any origin in `COUNTER_CORS_ORIGINS` (all by default)."
    ),
)
def hit_visitor_counter(
    response: Response, table: TableDep, salts: SaltsDep, caller: CallerDep, clock: ClockDep
) -> CounterHit:
    """Count the caller's first visit of the day and return the total in every known shape."""
    total, tracked = service.track(table=table, salts=salts, caller=caller, now=clock.now())
    # A cached answer would be a visit the counter never sees.
    response.headers["Cache-Control"] = "no-store"
    return CounterHit.of(total, tracked)


@router.get(
    "/hit",
    operation_id="hitVisitorCounterWithGet",
    summary="Cloud Resume Challenge counter (GET)",
    responses=error_responses(409),
    description=(
        "`hitVisitorCounter` for pages that call `fetch(url)` without a method: it counts the "
        "visit (once per visitor per UTC day, robots never) and answers the same body, "
        "uncacheable. HEAD is not served here, so that monitors and link checkers count nothing."
    ),
)
def hit_visitor_counter_with_get(
    response: Response, table: TableDep, salts: SaltsDep, caller: CallerDep, clock: ClockDep
) -> CounterHit:
    """The POST counter's answer to a GET: count the caller's first visit of the day."""
    return hit_visitor_counter(response, table, salts, caller, clock)


@router.get(
    "/badge.svg",
    operation_id="getVisitorBadge",
    summary="Visitor count badge",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "An SVG badge"}},
)
def get_visitor_badge(table: TableDep) -> Response:
    """A shields-style SVG badge of the visitor count, cacheable for a minute."""
    svg = badge.render(label="visitors", value=service.count(table=table))
    return Response(
        content=svg,
        media_type="image/svg+xml",
        headers={
            "Cache-Control": f"public, max-age={BADGE_MAX_AGE_SECONDS}",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "X-Content-Type-Options": "nosniff",
        },
    )
