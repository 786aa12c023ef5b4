"""What the feeds show: public items only, newest first, read page by page by key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from portfolio_api.content import service as content
from portfolio_api.content.kind import ContentKind
from portfolio_api.db.codec import Item
from portfolio_api.db.table import Table

FEED_ENTRIES = 20
SITEMAP_MAX_URLS = 10_000
"""Well below the sitemap protocol's 50,000 URLs per file."""
_PAGE = 100


def latest(
    *, table: Table, kind: ContentKind, now: datetime, limit: int = FEED_ENTRIES
) -> list[Item]:
    """The newest public items of a kind."""
    return _public(table=table, kind=kind, now=now, limit=limit, cursor=None).items


def every_public(*, table: Table, kind: ContentKind, now: datetime) -> Iterator[Item]:
    """Every public item of a kind (up to SITEMAP_MAX_URLS), one Query per 100 items."""
    cursor: str | None = None
    seen = 0
    while seen < SITEMAP_MAX_URLS:
        listing = _public(table=table, kind=kind, now=now, limit=_PAGE, cursor=cursor)
        yield from listing.items
        seen += len(listing.items)
        cursor = listing.next_cursor
        if cursor is None:
            return


def _public(
    *, table: Table, kind: ContentKind, now: datetime, limit: int, cursor: str | None
) -> content.Listing:
    return content.list_items(
        table=table,
        kind=kind,
        status="published",
        filters={},
        public=True,
        now=now,
        limit=limit,
        offset=0,
        cursor=cursor,
        with_total=False,
    )
