"""DynamoDB access for content view counters and their de-dup markers."""

from __future__ import annotations

from datetime import date
from enum import Enum

from portfolio_api.db import keys
from portfolio_api.db.table import ConditionFailed, Expression, Table
from portfolio_api.visitors import repository as visitors_repository

PUBLIC = "attribute_exists(PK) AND #publishAt <= :now"
VIEWS = "views"


class ViewOutcome(Enum):
    """What became of a tracked view."""

    COUNTED = "counted"
    DUPLICATE = "duplicate"
    NOT_PUBLIC = "not public"


def record_view(
    *, table: Table, visitor: str, day: date, kind: str, item_id: str, now: str, expires_at: int
) -> ViewOutcome:
    """Count `visitor`'s view of a public item once per day: the view goes on the item's
    publication marker, on condition that it is public, in one transaction with the de-dup
    marker (2 actions, 4 WRU), or nothing is written."""
    reasons = visitors_repository.commit(
        table=table,
        actions=[
            table.update_action(
                keys.content_publication(kind, item_id),
                update="ADD #views :one",
                condition=PUBLIC,
                expr=Expression(
                    names={"#publishAt": "publishAt", "#views": VIEWS},
                    values={":now": now, ":one": 1},
                ),
            ),
            visitors_repository.put_marker(
                table=table,
                key=keys.view_seen(visitor, day, kind, item_id),
                expires_at=expires_at,
            ),
        ],
    )
    if not reasons:
        return ViewOutcome.COUNTED
    if reasons[0] == visitors_repository.CHECK_FAILED:
        return ViewOutcome.NOT_PUBLIC
    return ViewOutcome.DUPLICATE


def get_views(*, table: Table, kind: str, item_id: str) -> int:
    """The views of one item, read strongly consistent (0 if never viewed)."""
    item = table.get(keys.content_publication(kind, item_id), consistent=True)
    return int(item.get(VIEWS, 0)) if item else 0


def public_views(*, table: Table, kind: str, item_id: str, now: str) -> int | None:
    """The views of one item, in one GetItem; None unless the item is public at `now`."""
    marker = table.get(keys.content_publication(kind, item_id))
    if marker is None or str(marker.get("publishAt", "~")) > now:
        return None
    return int(marker.get(VIEWS, 0))


def views_of_kind(*, table: Table, kind: str) -> dict[str, int]:
    """The views of every published or scheduled item of `kind` (0 if never viewed) and of
    every unpublished item viewed while it was public, by content id: one Query of the kind's
    publication markers (~70 B each: a marker has `publishAt` while its item is published or
    scheduled, and keeps `views` after unpublishing). Drafts never viewed have no entry."""
    expr = Expression(values={":pk": keys.content_publication_partition(kind)})
    items = table.query_all(key_condition="PK = :pk", expr=expr)
    return {
        str(item["SK"]): int(item.get(VIEWS, 0))
        for item in items
        if item.get(VIEWS) or "publishAt" in item
    }


def total_views(*, table: Table) -> int:
    """The views of all content: the sum of the per-item counters of every kind (one Query per
    kind), so that a view does not also have to write a global counter."""
    return sum(sum(views_of_kind(table=table, kind=kind).values()) for kind in keys.CONTENT_KINDS)


def fold_earlier_views(*, table: Table, kind: str) -> int:
    """Move the view counters of earlier releases (`VIEWS#<kind>/<id>`) onto the items'
    publication markers; the number moved. Each move is one transaction (add to the marker,
    delete the old counter if it still holds what was read), so running it again, or while
    an earlier release still counts views, neither loses nor doubles a view.

    The counter of an item deleted meanwhile (earlier releases kept it) is deleted instead:
    a deleted item's views go with it, and a marker of its own would bring it back into the
    owner's stats."""
    expr = Expression(values={":pk": keys.content_views_partition(kind)})
    moved = 0
    for counter in table.query_all(key_condition="PK = :pk", expr=expr, consistent=True):
        views = int(counter.get(VIEWS, 0))
        item_id = str(counter["SK"])
        unchanged = table.delete_action(
            keys.content_views(kind, item_id),
            condition="#views = :views",
            expr=Expression(names={"#views": VIEWS}, values={":views": views}),
        )
        if table.get(keys.content_item(kind, item_id), consistent=True) is None:
            actions = [unchanged]
        else:
            marker = keys.content_publication(kind, item_id)
            add = visitors_repository.add(table=table, key=marker, attribute=VIEWS, amount=views)
            actions = [add, unchanged]
        try:
            table.transact_write(actions)
        except ConditionFailed:
            continue  # counted meanwhile: the next run moves it
        moved += len(actions) - 1
    return moved
