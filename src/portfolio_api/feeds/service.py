"""What the feeds show: public items only, newest first."""

from __future__ import annotations

from datetime import datetime

from portfolio_api.content import service as content
from portfolio_api.content.kind import ContentKind
from portfolio_api.content.registry import kind_named
from portfolio_api.db.codec import Item
from portfolio_api.db.table import Table
from portfolio_api.feeds.render import last_modified

FEED_ENTRIES = 20
SITEMAP_MAX_URLS = 10_000
"""Well below the sitemap protocol's 50,000 URLs per file."""
SITEMAP_PATHS = {"blog": "blog", "project": "projects"}
"""The site's URL path of each kind's pages, in the sitemap's order."""


def latest(
    *, table: Table, kind: ContentKind, now: datetime, limit: int = FEED_ENTRIES
) -> list[Item]:
    """The newest public items of a kind."""
    listing = content.list_items(
        table=table,
        kind=kind,
        status="published",
        filters={},
        public=True,
        now=now,
        limit=limit,
        offset=0,
        cursor=None,
        with_total=False,
    )
    return listing.items


def site_pages(*, table: Table, now: datetime) -> list[tuple[str, str]]:
    """The path and last modification time (`updatedAt`, or `publishAt` if later) of every
    public page (up to SITEMAP_MAX_URLS): posts, then projects, each newest first, as their
    lists show them."""
    kinds = [kind for name in SITEMAP_PATHS if (kind := kind_named(name)) is not None]
    fields = ("id", "updatedAt", "publishAt", *sorted({kind.sort_field for kind in kinds}))
    found = content.public_pages(table=table, now=now, fields=fields, limit=SITEMAP_MAX_URLS)
    paths: list[tuple[str, str]] = []
    for kind in kinds:
        for page in _newest_first([page for page in found if page["kind"] == kind.name], kind):
            paths.append((f"{SITEMAP_PATHS[kind.name]}/{page['ref']}", last_modified(page)))
    return paths


def _newest_first(pages: list[Item], kind: ContentKind) -> list[Item]:
    # The order of the kind's list: GSI1SK is `PUB#<sort value>#<id>`, read backwards.
    return sorted(pages, key=lambda page: (str(page[kind.sort_field]), page["id"]), reverse=True)
