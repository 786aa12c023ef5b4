"""Routes of the contract's `Visitors` tag."""

from __future__ import annotations

from fastapi import APIRouter

from portfolio_api.deps import TableDep
from portfolio_api.visitors import service
from portfolio_api.visitors.schemas import TrackedVisit, VisitorCount

router = APIRouter(prefix="/v1/visitors", tags=["Visitors"])


@router.post("/track", operation_id="trackVisit", summary="Track visitor")
def track_visit(table: TableDep) -> TrackedVisit:
    """Count a visit to the site and return the updated total."""
    total, tracked = service.track(table=table)
    return TrackedVisit(count=total, tracked=tracked)


@router.get("/count", operation_id="getVisitorCount", summary="Get visitor count")
def get_visitor_count(table: TableDep) -> VisitorCount:
    """The all-time number of counted visits."""
    return VisitorCount(count=service.count(table=table))
