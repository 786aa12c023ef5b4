"""DynamoDB access for the resume: one item holding the draft and the published copy.

Both copies are stored as compact JSON text, so whatever JSON Resume allows (extra
properties of any JSON type) round-trips exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.table import ConditionFailed, Expression, Table
from portfolio_api.errors import NotFound, PayloadTooLarge, PreconditionFailed

Expected = int | Literal["*"] | None
"""What `If-Match` asked for: a version, any existing resume (`*`), or nothing."""

NO_RESUME = "No resume has been saved yet"
MAX_DRAFT_BYTES = 190 * 1024
"""The draft and the published copy live in one item, and DynamoDB's limit is 400 KB: a draft
that could not also be published is refused when it is saved."""


@dataclass(frozen=True)
class StoredResume:
    """The resume item."""

    draft: dict[str, Any]
    version: int
    updated_at: str
    published_text: str | None
    published_version: int | None
    published_at: str | None

    @property
    def published(self) -> dict[str, Any] | None:
        """The published document, if any."""
        return json.loads(self.published_text) if self.published_text is not None else None


def _stored(item: Item) -> StoredResume:
    return StoredResume(
        draft=json.loads(item["draft"]),
        version=int(item["version"]),
        updated_at=item["updatedAt"],
        published_text=item.get("published"),
        published_version=item.get("publishedVersion"),
        published_at=item.get("publishedAt"),
    )


def _precondition(expected: Expected, expr: Expression) -> str | None:
    if expected is None:
        return None
    if expected == "*":
        return "attribute_exists(#draft)"
    expr.names["#version"] = "version"
    expr.values[":expected"] = expected
    return "#version = :expected"


def mismatch(current: StoredResume | None) -> PreconditionFailed:
    """The 412 for a resume whose version is not the one the client expected."""
    version = current.version if current else None
    return PreconditionFailed(
        "The resume changed since you read it; fetch it again and retry",
        details={"currentVersion": version},
    )


def get(*, table: Table, consistent: bool = False) -> StoredResume | None:
    """The resume item, or None before the first save."""
    item = table.get(keys.resume(), consistent=consistent)
    return _stored(item) if item else None


def save_draft(
    *, table: Table, document: dict[str, Any], now: str, expected: Expected
) -> StoredResume:
    """Replace the draft and bump its version, if the current version is `expected`."""
    draft = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    size = len(draft.encode())
    if size > MAX_DRAFT_BYTES:
        raise PayloadTooLarge(
            f"The resume is {size // 1024} KB as JSON; at most {MAX_DRAFT_BYTES // 1024} KB, so "
            "that it and its published copy fit DynamoDB's 400 KB item",
            details={"bytes": size, "maxBytes": MAX_DRAFT_BYTES},
        )
    expr = Expression(
        names={"#draft": "draft", "#version": "version", "#updatedAt": "updatedAt"},
        values={
            ":draft": draft,
            ":zero": 0,
            ":one": 1,
            ":now": now,
        },
    )
    condition = _precondition(expected, expr)
    try:
        item = table.update(
            keys.resume(),
            update="SET #draft = :draft, #updatedAt = :now, "
            "#version = if_not_exists(#version, :zero) + :one",
            expr=expr,
            condition=condition,
            landed=lambda stored: stored.get("updatedAt") == now and stored.get("draft") == draft,
        )
    except ConditionFailed:
        raise mismatch(get(table=table, consistent=True)) from None
    return _stored(item)


def publish(*, table: Table, now: str, expected: Expected) -> StoredResume:
    """Make the draft the published copy, if the current version is `expected`."""
    expr = Expression(
        names={
            "#draft": "draft",
            "#version": "version",
            "#published": "published",
            "#publishedVersion": "publishedVersion",
            "#publishedAt": "publishedAt",
        },
        values={":now": now},
    )
    condition = "attribute_exists(#draft)"
    precondition = _precondition(expected, expr)
    if precondition:
        condition = f"{condition} AND {precondition}"
    try:
        item = table.update(
            keys.resume(),
            update="SET #published = #draft, #publishedVersion = #version, #publishedAt = :now",
            expr=expr,
            condition=condition,
        )
    except ConditionFailed:
        current = get(table=table, consistent=True)
        if current is None:
            raise NotFound(NO_RESUME) from None
        raise mismatch(current) from None
    return _stored(item)
