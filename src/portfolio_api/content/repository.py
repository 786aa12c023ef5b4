"""DynamoDB access for content items: one transaction per change, key-based reads only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from portfolio_api.clock import iso
from portfolio_api.content.counters import CounterChange
from portfolio_api.content.kind import ContentKind
from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.schema import GSI1
from portfolio_api.db.table import ConditionFailed, Expression, Page, Table
from portfolio_api.errors import BadRequest, Conflict, NotFound, PreconditionFailed

ListStatus = Literal["published", "draft", "all"]

MAX_FILL_ROUNDS = 10
"""A filtered page stops after this many Queries and is returned short, with a cursor."""
MAX_OFFSET = 5_000
"""Offsets walk the list page by page; past this, clients must follow `nextCursor`."""
_SKIP_BATCH = 500
_CHECK_FAILED = "ConditionalCheckFailed"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SlugTaken(Conflict):
    """Another item of the same kind owns the slug."""


def get(*, table: Table, kind: ContentKind, item_id: str, consistent: bool = False) -> Item | None:
    """One item by id."""
    return table.get(keys.content_item(kind.name, item_id), consistent=consistent)


def get_slug_owner(*, table: Table, kind: ContentKind, slug: str) -> str | None:
    """The id of the item that owns `slug`, if any."""
    marker = table.get(keys.content_slug(kind.name, slug))
    return str(marker["itemId"]) if marker else None


def get_counters(*, table: Table, kind: ContentKind) -> Item:
    """The kind's counter item (empty before the first write)."""
    return table.get(keys.content_counters(kind.name)) or {}


def commit(
    *,
    table: Table,
    kind: ContentKind,
    old: Item | None,
    new: Item | None,
    marker: Literal["put", "delete"] | None,
    counters: CounterChange | None,
    if_match: bool,
) -> None:
    """Write one change of an item atomically: the item, its slug, marker and counters.

    `old` is the version the change was computed from: the write fails when the stored item
    is no longer that version (412 if the client asked for it with If-Match, else 409).
    """
    current = new or old
    assert current is not None
    item_id = str(current["id"])
    item_key = keys.content_item(kind.name, item_id)
    actions: list[dict[str, Any]] = []
    if old is None:
        actions.append(table.put_action(new or {}, condition="attribute_not_exists(PK)"))
    else:
        same_version = Expression(names={"#v": "version"}, values={":v": old["version"]})
        if new is None:
            actions.append(table.delete_action(item_key, condition="#v = :v", expr=same_version))
        else:
            actions.append(table.put_action(new, condition="#v = :v", expr=same_version))
    old_slug = old.get("slug") if old else None
    new_slug = new.get("slug") if new else None
    if new_slug and new_slug != old_slug:
        slug_item = {**keys.content_slug(kind.name, new_slug), "itemId": item_id}
        actions.append(table.put_action(slug_item, condition="attribute_not_exists(PK)"))
    if old_slug and old_slug != new_slug:
        actions.append(table.delete_action(keys.content_slug(kind.name, old_slug)))
    marker_key = keys.content_publication(kind.name, item_id)
    if marker == "put":
        assert new is not None
        actions.append(table.put_action({**marker_key, "publishAt": new["publishAt"]}))
    elif marker == "delete":
        actions.append(table.delete_action(marker_key))
    if counters is not None:
        update, expr = counters.expression()
        actions.append(
            table.update_action(keys.content_counters(kind.name), update=update, expr=expr)
        )
    try:
        table.transact_write(actions)
    except ConditionFailed as failed:
        reasons = failed.reasons or [_CHECK_FAILED]
        if reasons[0] == _CHECK_FAILED:
            if old is None:
                raise Conflict(f"{kind.label} {item_id} already exists") from None
            if if_match:
                raise PreconditionFailed(
                    f"{kind.label} {item_id} has changed since the version in If-Match"
                ) from None
            raise Conflict(f"{kind.label} {item_id} was changed at the same time; retry") from None
        raise SlugTaken(
            f"The slug '{new_slug}' is already used by another {kind.label.lower()}",
            details={"field": "slug"},
        ) from None


def query_page(
    *,
    table: Table,
    kind: ContentKind,
    status: ListStatus,
    facet: str | None,
    visible_at: datetime | None,
    limit: int,
    offset: int,
    cursor: str | None,
) -> Page:
    """One page of a kind's list, newest first, with a cursor that resumes exactly after it.

    `visible_at` (public lists) hides scheduled items that are not yet due. It is pinned into
    the cursor, so later pages answer the same snapshot and a tampered time fails the cursor's
    signature check.
    """
    if cursor and "~" in cursor:
        pinned, _, cursor = cursor.partition("~")
        if visible_at is None or not pinned.isdigit():
            raise BadRequest("Invalid pagination cursor", details={"field": "cursor"})
        visible_at = _EPOCH + timedelta(milliseconds=int(pinned))
    elif visible_at is not None:
        visible_at = visible_at.replace(microsecond=visible_at.microsecond // 1000 * 1000)
    expr = Expression(names={}, values={":p": keys.content_list_partition(kind.name)})
    key_condition = "GSI1PK = :p"
    if status != "all":
        expr.values[":prefix"] = (
            keys.CONTENT_PUBLISHED_PREFIX if status == "published" else keys.CONTENT_DRAFT_PREFIX
        )
        key_condition += " AND begins_with(GSI1SK, :prefix)"
    filters: list[str] = []
    if facet is not None:
        expr.names["#facets"] = "facets"
        expr.values[":facet"] = facet
        filters.append("contains(#facets, :facet)")
    if visible_at is not None:
        expr.names["#publishAt"] = "publishAt"
        expr.values[":now"] = iso(visible_at)
        filters.append("#publishAt <= :now")

    def run(size: int, token: str | None) -> Page:
        return table.query(
            key_condition=key_condition,
            expr=expr,
            index=GSI1,
            limit=size,
            forward=False,
            cursor_token=token,
            filter_expression=" AND ".join(filters) or None,
        )

    if offset > MAX_OFFSET:
        raise BadRequest(
            f"offset may be at most {MAX_OFFSET}; follow nextCursor to page further",
            details={"field": "offset"},
        )
    # Limit counts the items DynamoDB evaluates, so asking for at most the number still wanted
    # never reads past the last item returned: the cursor resumes exactly after it.
    remaining = offset
    while remaining > 0:
        page = run(min(remaining, _SKIP_BATCH), cursor)
        remaining -= len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return Page(items=[])
    items: list[Item] = []
    for _ in range(MAX_FILL_ROUNDS):
        page = run(limit - len(items), cursor)
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None or len(items) >= limit:
            break
    if cursor is not None and visible_at is not None:
        cursor = f"{(visible_at - _EPOCH) // timedelta(milliseconds=1)}~{cursor}"
    return Page(items=items, next_cursor=cursor)


def require(item: Item | None, *, kind: ContentKind, item_id: str) -> Item:
    """`item`, or a 404 naming what was not found."""
    if item is None:
        raise NotFound(f"{kind.label} {item_id} not found")
    return item
