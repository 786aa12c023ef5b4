"""DynamoDB access for content view counters and their de-dup markers."""

from __future__ import annotations

from datetime import date
from enum import Enum

from portfolio_api.db import keys
from portfolio_api.db.table import Expression, Table
from portfolio_api.visitors import repository as visitors_repository

PUBLIC = "attribute_exists(PK) AND #publishAt <= :now"


class ViewOutcome(Enum):
    """What became of a tracked view."""

    COUNTED = "counted"
    DUPLICATE = "duplicate"
    NOT_PUBLIC = "not public"


def record_view(
    *, table: Table, visitor: str, day: date, kind: str, item_id: str, now: str, expires_at: int
) -> ViewOutcome:
    """Count `visitor`'s view of a public item once per day: the publication check, the marker
    and the counters commit together, or nothing is written."""
    reasons = visitors_repository.commit(
        table=table,
        actions=[
            table.condition_check(
                keys.content_publication(kind, item_id),
                condition=PUBLIC,
                expr=Expression(names={"#publishAt": "publishAt"}, values={":now": now}),
            ),
            visitors_repository.put_marker(
                table, keys.view_seen(visitor, day, kind, item_id), expires_at=expires_at
            ),
            table.update_action(
                keys.content_views(kind, item_id),
                update="ADD #views :one SET #contentId = :id",
                expr=Expression(
                    names={"#views": "views", "#contentId": "contentId"},
                    values={":one": 1, ":id": item_id},
                ),
            ),
        ],
    )
    if not reasons:
        return ViewOutcome.COUNTED
    if reasons[0] == "ConditionalCheckFailed":
        return ViewOutcome.NOT_PUBLIC
    return ViewOutcome.DUPLICATE


def get_views(*, table: Table, kind: str, item_id: str) -> int:
    """The views of one item, read strongly consistent (0 if never viewed)."""
    item = table.get(keys.content_views(kind, item_id), consistent=True)
    return int(item["views"]) if item else 0


def public_views(*, table: Table, kind: str, item_id: str, now: str) -> int | None:
    """The views of one item, in one request; None unless the item is public at `now`."""
    marker_key = keys.content_publication(kind, item_id)
    views_key = keys.content_views(kind, item_id)
    found = {(i["PK"], i["SK"]): i for i in table.batch_get([marker_key, views_key])}
    marker = found.get((marker_key["PK"], marker_key["SK"]))
    if marker is None or str(marker.get("publishAt", "~")) > now:
        return None
    counter = found.get((views_key["PK"], views_key["SK"]))
    return int(counter["views"]) if counter else 0


def views_of_kind(*, table: Table, kind: str) -> dict[str, int]:
    """The views of every viewed item of `kind`, by content id."""
    expr = Expression(values={":pk": keys.content_views_partition(kind)})
    items = table.query_all(key_condition="PK = :pk", expr=expr)
    return {str(item["contentId"]): int(item["views"]) for item in items}


def total_views(*, table: Table) -> int:
    """The views of all content: the sum of the per-item counters of every kind (one Query per
    kind), so that a view does not also have to write a global counter."""
    return sum(sum(views_of_kind(table=table, kind=kind).values()) for kind in keys.CONTENT_KINDS)
