"""Content views: one per visitor, item and UTC day, for public items only; robots never."""

from __future__ import annotations

import re
from datetime import datetime

from portfolio_api.analytics import repository
from portfolio_api.analytics.repository import ViewOutcome
from portfolio_api.analytics.schemas import CONTENT_ID_PATTERN
from portfolio_api.clock import iso
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from portfolio_api.errors import NotFound
from portfolio_api.visitors.identity import Caller, DailySalts, epoch_after, utc_day

_CONTENT_ID = re.compile(CONTENT_ID_PATTERN)


def _not_found(kind: str, item_id: str) -> NotFound:
    return NotFound(f"No published {kind} with id {item_id!r}")


def track(
    *, table: Table, salts: DailySalts, caller: Caller, kind: str, item_id: str, now: datetime
) -> tuple[int, bool]:
    """Count the caller's first view today of a public item; return its views and whether this
    view counted. Unknown, draft and scheduled items are 404 and count nothing."""
    if caller.is_bot:
        return views(table=table, kind=kind, item_id=item_id, now=now), False
    day = utc_day(now)
    outcome = repository.record_view(
        table=table,
        visitor=salts.visitor(table=table, day=day, caller=caller),
        day=day,
        kind=kind,
        item_id=item_id,
        now=iso(now),
        expires_at=epoch_after(day),
    )
    if outcome is ViewOutcome.NOT_PUBLIC:
        raise _not_found(kind, item_id)
    counted = outcome is ViewOutcome.COUNTED
    return repository.get_views(table=table, kind=kind, item_id=item_id), counted


def views(*, table: Table, kind: str, item_id: str, now: datetime) -> int:
    """The views of a public item; 404 for an unknown, draft or scheduled one."""
    found = None
    if _CONTENT_ID.match(item_id):
        found = repository.public_views(table=table, kind=kind, item_id=item_id, now=iso(now))
    if found is None:
        raise _not_found(kind, item_id)
    return found


def stats(*, table: Table, kind: str) -> dict[str, int]:
    """Views of every published or scheduled item of `kind` (0 if never viewed) and of every
    unpublished item that has views, by content id."""
    return repository.views_of_kind(table=table, kind=kind)


def top(*, table: Table, limit: int) -> dict[str, list[tuple[str, int]]]:
    """The `limit` most viewed items of each kind, most viewed first (ties by id); items
    never viewed are left out."""
    return {
        kind: sorted(
            [
                entry
                for entry in repository.views_of_kind(table=table, kind=kind).items()
                if entry[1]
            ],
            key=lambda entry: (-entry[1], entry[0]),
        )[:limit]
        for kind in keys.CONTENT_KINDS
    }


def total(*, table: Table) -> int:
    """Views of all content."""
    return repository.total_views(table=table)
