"""The draft/publish rules shared by every content kind: plain functions over plain dicts.

Stored items carry the contract's camelCase fields plus `version`, `status`, `publishAt`
(when the current publication starts) and `firstPublishedAt` (when the item first became
public, kept across re-publishing; a schedule cancelled before it came due leaves none).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from portfolio_api.clock import iso
from portfolio_api.content import counters, repository, site_index, text
from portfolio_api.content.kind import ContentKind, Fields
from portfolio_api.content.repository import ListStatus, SlugTaken
from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.table import Table
from portfolio_api.errors import NotFound, PayloadTooLarge, PreconditionFailed

MAX_ITEM_BYTES = 380_000
"""Below DynamoDB's 400 KB item limit, with room for keys and bookkeeping. Measured on the
item uncompressed: the stored item is never larger (`compression` stores a text compressed
only when that is smaller), the limit does not depend on how well a text compresses, and
every stored item would still fit if it had to be written uncompressed again."""
_SLUG_ATTEMPTS = 6
"""A generated slug that is taken gets `-2`..`-5`, then the item id's random part, which no
other generated slug can hold, so that a common title (or one with no ASCII letters, all of
which slugify to `untitled`) never stops a create."""
_REF = re.compile(r"[A-Za-z0-9_-]{1,100}")
_INTERNAL = frozenset(
    {"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "facets", "firstPublishedAt"}
)


@dataclass(frozen=True)
class Listing:
    """One page of a list and the number of items matching its filters."""

    items: list[Item]
    total: int
    next_cursor: str | None


def is_public(item: Item, *, now: datetime) -> bool:
    """Whether anonymous callers may see `item`: published and due."""
    return item.get("status") == "published" and str(item.get("publishAt", "~")) <= iso(now)


def is_scheduled(item: Item, *, now: datetime) -> bool:
    """Whether `item` is published with a `publishAt` still to come."""
    return item.get("status") == "published" and not is_public(item, now=now)


def view(item: Item, *, now: datetime) -> Fields:
    """The response fields of a stored item (internal attributes dropped)."""
    published = item.get("status") == "published"
    first = str(item.get("firstPublishedAt") or "")
    return {
        **{name: value for name, value in item.items() if name not in _INTERNAL},
        "publishAt": item.get("publishAt") if published else None,
        "publishedAt": first[:10] if published else "",
        "scheduled": is_scheduled(item, now=now),
    }


def get(*, table: Table, kind: ContentKind, ref: str, owner: bool, now: datetime) -> Item:
    """An item by id or (for kinds with slugs) by slug; drafts and unknown refs are 404s to
    the public."""
    if not _REF.fullmatch(ref):
        raise NotFound(f"{kind.label} {ref} not found")
    item_id = ref
    item: Item | None = None
    if kind.slug_source and "_" not in ref:
        if not owner and kind.site_ref == "slug":  # one Query of the site index
            item = site_index.get_by_slug(table=table, kind=kind, slug=ref)
        # The owner reads drafts too, consistently; the public falls back here only for items
        # not in the index (an unknown slug, or one saved before the index existed).
        if item is None:
            item_id = repository.get_slug_owner(table=table, kind=kind, slug=ref) or ""
    if item is None and item_id:
        item = repository.get(table=table, kind=kind, item_id=item_id)
    if item is None or not (owner or is_public(item, now=now)):
        raise NotFound(f"{kind.label} {ref} not found")
    return item


def list_items(
    *,
    table: Table,
    kind: ContentKind,
    status: ListStatus,
    filters: dict[str, str | bool | None],
    public: bool,
    now: datetime,
    limit: int,
    offset: int,
    cursor: str | None,
    with_total: bool = True,
) -> Listing:
    """A page of a kind's items, newest first, with the total from the maintained counters."""
    page = repository.query_page(
        table=table,
        kind=kind,
        status=status,
        facet=kind.filter_key(filters),
        visible_at=now if public else None,
        limit=limit,
        offset=offset,
        cursor=cursor,
        with_total=with_total,
    )
    total = len(page.items) if page.total is None else page.total
    return Listing(items=page.items, total=total, next_cursor=page.next_cursor)


def cursor_identity(cursor: str) -> str:
    """What a list's `nextCursor` says about the data, without the moment it was made."""
    return repository.cursor_identity(cursor)


def public_pages(*, table: Table, now: datetime, fields: tuple[str, ...], limit: int) -> list[Item]:
    """`fields`, `kind` and `ref` (slug or id) of every public page of the site, in no useful
    order; one Query per 1 MB of the site index, up to `limit` pages."""
    return site_index.pages(table=table, now=now, fields=fields, limit=limit)


@dataclass(frozen=True)
class Reindexed:
    """What `reindex` changed: published items put into the site index, counter items given
    the list keys that make a list's first page one Query, view counters of earlier releases
    moved onto the items' publication markers, attributes of the counter items that no longer
    said anything removed."""

    site_pages: int
    list_heads: int
    view_counters: int
    stale_counts: int = 0
    recounted: int = 0
    """Attributes of the counter items corrected to count the items in the table (after a
    merge import of an older backup, they held the backup's counts)."""


def reindex(*, table: Table, now: datetime | None = None) -> Reindexed:
    """Give the items written by earlier releases the keys this one reads, and tidy the
    counter items. Idempotent: run after deploying a release that adds keys, after importing
    an older backup, and now and then (e.g. monthly) on a site whose tags come and go."""
    from portfolio_api.analytics.repository import fold_earlier_views
    from portfolio_api.content.registry import all_kinds

    kinds = all_kinds().values()
    moment = iso(now or datetime.now(UTC))
    # Recounted first: a counter item it creates then gets its list keys, and counts it
    # brings to 0 are then pruned.
    recounted = sum(repository.recount(table=table, kind=kind, now=moment) for kind in kinds)
    return Reindexed(
        site_pages=sum(site_index.backfill(table=table, kind=kind) for kind in kinds),
        list_heads=sum(repository.backfill_list_head(table=table, kind=kind) for kind in kinds),
        view_counters=sum(
            fold_earlier_views(table=table, kind=kind) for kind in keys.CONTENT_KINDS
        ),
        stale_counts=sum(repository.prune_counters(table=table, kind=kind) for kind in kinds),
        recounted=recounted,
    )


def labels(*, table: Table, kind: ContentKind, facet: str, now: datetime) -> list[tuple[str, int]]:
    """The values of a string facet among public items, with their counts, by name."""
    counter_item = repository.get_counters(table=table, kind=kind)
    return counters.public_labels(counter_item, facet=facet, now=iso(now))


def create(*, table: Table, kind: ContentKind, fields: Fields, now: datetime) -> Item:
    """A new draft; a slug is generated from the title unless one is given."""
    stamp = iso(now)
    item: Item = {
        "id": f"{kind.id_prefix}_{secrets.token_hex(8)}",
        "status": "draft",
        "version": 1,
        "createdAt": stamp,
        "updatedAt": stamp,
    }
    item = _complete(kind, {**item, **fields})
    explicit = bool(fields.get("slug"))
    base = str(item.get("slug") or "")
    for attempt in range(1, _SLUG_ATTEMPTS + 1):
        if base and attempt > 1:
            unique = attempt == _SLUG_ATTEMPTS
            suffix = str(item["id"]).partition("_")[2] if unique else str(attempt)
            item["slug"] = text.with_suffix(base, suffix)
        try:
            _commit(table, kind, old=None, new=item, marker=None, now=now, if_match=False)
        except SlugTaken:
            if explicit or attempt == _SLUG_ATTEMPTS:
                raise
            continue
        return item
    raise AssertionError("unreachable")


def update(
    *,
    table: Table,
    kind: ContentKind,
    item_id: str,
    fields: Fields,
    expected_version: int | None,
    now: datetime,
) -> Item:
    """Apply a partial update (only the fields given), as one new version."""
    old = _current(table, kind, item_id, expected_version)
    new = _complete(kind, {**old, **fields, "version": old["version"] + 1, "updatedAt": iso(now)})
    _commit(
        table, kind, old=old, new=new, marker=None, now=now, if_match=expected_version is not None
    )
    return new


def delete(
    *, table: Table, kind: ContentKind, item_id: str, expected_version: int | None, now: datetime
) -> None:
    """Delete an item with its slug, publication marker and counts."""
    old = _current(table, kind, item_id, expected_version)
    _commit(
        table,
        kind,
        old=old,
        new=None,
        marker="delete",
        now=now,
        if_match=expected_version is not None,
    )


def publish(
    *,
    table: Table,
    kind: ContentKind,
    item_id: str,
    publish_at: datetime | None,
    expected_version: int | None,
    now: datetime,
) -> Item:
    """Publish now, or schedule for `publish_at`; re-publishing keeps the first publication date.

    Without `publish_at`, a live item stays as it is, and a scheduled one goes live now.
    """
    old = _current(table, kind, item_id, expected_version)
    if old["status"] == "published" and publish_at is None and old["publishAt"] <= iso(now):
        return old
    at = iso(publish_at or now)
    first = old.get("firstPublishedAt")
    if first and old["status"] == "draft" and first > old["updatedAt"]:
        # A schedule cancelled by an earlier release (which kept the date): never came due.
        first = None
    if not first or first > iso(now):  # never public yet: this publication is the first
        first = at
    new = _complete(
        kind,
        {
            **old,
            "status": "published",
            "publishAt": at,
            "firstPublishedAt": first,
            "version": old["version"] + 1,
            "updatedAt": iso(now),
        },
    )
    _commit(
        table, kind, old=old, new=new, marker="put", now=now, if_match=expected_version is not None
    )
    return new


def unpublish(
    *, table: Table, kind: ContentKind, item_id: str, expected_version: int | None, now: datetime
) -> Item:
    """Back to draft (also cancels a schedule); the item leaves every public route at once.

    A first publication date still in the future is dropped: a cancelled schedule never made
    the item public, so it neither dates nor places it when it is published later.
    """
    old = _current(table, kind, item_id, expected_version)
    if old["status"] == "draft":
        return old
    dropped = {"publishAt"}
    if str(old.get("firstPublishedAt") or "") > iso(now):
        dropped.add("firstPublishedAt")
    new = {k: v for k, v in old.items() if k not in dropped}
    new = _complete(
        kind, {**new, "status": "draft", "version": old["version"] + 1, "updatedAt": iso(now)}
    )
    _commit(
        table,
        kind,
        old=old,
        new=new,
        marker="delete",
        now=now,
        if_match=expected_version is not None,
    )
    return new


def _current(table: Table, kind: ContentKind, item_id: str, expected_version: int | None) -> Item:
    if not _REF.fullmatch(item_id):
        raise NotFound(f"{kind.label} {item_id} not found")
    item = repository.require(
        repository.get(table=table, kind=kind, item_id=item_id, consistent=True),
        kind=kind,
        item_id=item_id,
    )
    if expected_version is not None and expected_version != item["version"]:
        raise PreconditionFailed(
            f"{kind.label} {item_id} is at version {item['version']}, not {expected_version}",
            details={"currentVersion": item["version"]},
        )
    return item


def _complete(kind: ContentKind, item: Item) -> Item:
    """Derived fields, slug, facets and keys of an item from its stored fields."""
    item = {**item, **kind.derive(item)}
    if kind.slug_source and not item.get("slug"):
        item["slug"] = text.slugify(str(item[kind.slug_source]))
    item["facets"] = kind.facet_keys(item)
    published = item["status"] == "published"
    sort_value = str(item[kind.sort_field] if published else item["createdAt"])
    item.update(keys.content_item(kind.name, item["id"]))
    item.update(
        keys.content_list_entry(kind.name, item["id"], published=published, sort_value=sort_value)
    )
    item.pop("GSI2PK", None)
    item.pop("GSI2SK", None)
    page_ref = item.get(kind.site_ref) if published and kind.site_ref else None
    if page_ref:
        item.update(keys.content_site_entry(kind.name, str(page_ref)))
    size = len(json.dumps(item, ensure_ascii=False, default=str).encode())
    if size > MAX_ITEM_BYTES:
        raise PayloadTooLarge(
            f"This {kind.label.lower()} would take {size} bytes once stored; the limit is "
            f"{MAX_ITEM_BYTES} (DynamoDB stores at most 400 KB per item). Shorten the content.",
            details={"bytes": size, "limit": MAX_ITEM_BYTES},
        )
    return item


def _commit(
    table: Table,
    kind: ContentKind,
    *,
    old: Item | None,
    new: Item | None,
    marker: Literal["put", "delete"] | None,
    now: datetime,
    if_match: bool,
) -> None:
    change = counters.change(kind, old=old, new=new, now=iso(now))
    repository.commit(
        table=table,
        kind=kind,
        old=old,
        new=new,
        marker=marker,
        counters=change if change or marker else None,
        if_match=if_match,
    )
