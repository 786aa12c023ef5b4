"""DynamoDB access for content items: one transaction per change, key-based reads only.

Items leave through `commit` compressed (`compression.compress`) and come back through `get`
and the list reader decompressed, so callers only ever see plain text.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from portfolio_api.clock import iso
from portfolio_api.content import compression
from portfolio_api.content.counters import (
    LIST_HEAD,
    REV,
    CounterChange,
    Recount,
    Tally,
    list_head,
    stale_attributes,
    tally,
)
from portfolio_api.content.counters import recount as counters_recount
from portfolio_api.content.kind import ContentKind
from portfolio_api.db import cursor as cursor_format
from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.schema import GSI1
from portfolio_api.db.table import ConditionFailed, Expression, Page, Table
from portfolio_api.errors import BadRequest, Conflict, NotFound, PreconditionFailed

ListStatus = Literal["published", "draft", "all"]

MAX_FILL_ROUNDS = 10
"""A filtered page after a cursor stops after this many Queries and is returned short, with a
cursor (an offset page reads on until it is full, the list ends or it has met every match the
counter item counts)."""
SCHEDULED_READ_AHEAD = 2
LATER_READ_AHEAD = 20
"""Items a later page reads beyond the page when the counts say its filter drops that many
(or a page's worth, if larger): with at most this many dropped items, one Query per page
whatever their order."""
"""Items a public list's first Query reads beyond the page, for not-yet-due scheduled items
that its filter drops (later pages know how many there are from the counts)."""
MAX_OFFSET = 5_000
"""Offsets walk the list page by page; past this, clients must follow `nextCursor`."""
_SKIP_BATCH = 500
_CHECK_FAILED = "ConditionalCheckFailed"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SlugTaken(Conflict):
    """Another item of the same kind owns the slug."""


def get(*, table: Table, kind: ContentKind, item_id: str, consistent: bool = False) -> Item | None:
    """One item by id."""
    item = table.get(keys.content_item(kind.name, item_id), consistent=consistent)
    return compression.decompress(kind, item) if item else None


def get_slug_owner(*, table: Table, kind: ContentKind, slug: str) -> str | None:
    """The id of the item that owns `slug`, if any."""
    marker = table.get(keys.content_slug(kind.name, slug))
    return str(marker["itemId"]) if marker else None


def backfill_list_head(*, table: Table, kind: ContentKind) -> bool:
    """Give the kind's counter item its list keys if it was written before it had them (the
    first page of a list then reads the totals in its own Query); whether it changed."""
    sets, expr = list_head(kind.name)
    try:
        table.update(
            keys.content_counters(kind.name),
            update=f"SET {', '.join(sets)}",
            expr=expr,
            condition="attribute_exists(PK) AND attribute_not_exists(#head)",
            return_values="NONE",
        )
    except ConditionFailed:
        return False  # no counters yet (nothing to list), or they already head the list
    return True


RECOUNT_SETTLE_SECONDS = 2.0
"""How long a recount that found something to correct waits for the list index (eventually
consistent, typically well under a second behind) before counting again."""
_PRUNE_CHUNK = 100
"""Attributes removed per UpdateItem (an update expression may be at most 4 KB)."""
_PRUNE_ATTEMPTS = 5


def recount(
    *, table: Table, kind: ContentKind, now: str, settle_seconds: float = RECOUNT_SETTLE_SECONDS
) -> int:
    """Make the kind's counter item count the items of the kind in the table; how many of its
    attributes were corrected. The items are read from the list index, which is eventually
    consistent: corrections wait `settle_seconds` for it. Each correction is conditioned on
    the item's `rev`, so a change in the meantime makes it read everything again."""
    key = keys.content_counters(kind.name)
    expr = Expression(values={":p": keys.content_list_partition(kind.name)})

    def corrections(counter_item: Item) -> Recount:
        items = table.query_all(key_condition="GSI1PK = :p", expr=expr, index=GSI1)
        return counters_recount(
            kind, counter_item, (i for i in items if LIST_HEAD not in i), now=now
        )

    for _ in range(_PRUNE_ATTEMPTS):
        item = table.get(key, consistent=True) or {}
        if not corrections(item):
            return 0
        # The index may not show yet a write the counter item already counts: give every write
        # made before that read time to reach it, then count again against the same read; a
        # write after it changes `rev`, and the conditioned updates then fail and start over.
        time.sleep(settle_seconds)
        fix = corrections(item)
        if not fix:
            return 0
        rev = item.get(REV)
        changes: list[tuple[str, str, Any]] = [
            *(("ADD", name, delta) for name, delta in fix.deltas.items()),
            *(("SET", name, value) for name, value in fix.sets.items()),
            *(("REMOVE", name, None) for name in fix.removals),
        ]
        try:
            for start in range(0, len(changes), _PRUNE_CHUNK):
                table.update(
                    key,
                    **_counter_update(changes[start : start + _PRUNE_CHUNK], rev),
                    return_values="NONE",
                )
        except ConditionFailed:
            continue  # changed meanwhile: count again
        return len(fix)
    return 0


def _counter_update(changes: list[tuple[str, str, Any]], rev: Any) -> dict[str, Any]:
    """An UpdateItem of the counter item making `changes`, if its `rev` is still `rev`."""
    expr = Expression(names={"#rev": REV}, values={} if rev is None else {":rev": rev})
    clauses: dict[str, list[str]] = {"SET": [], "ADD": [], "REMOVE": []}
    for index, (action, name, value) in enumerate(changes):
        expr.names[f"#c{index}"] = name
        if action == "REMOVE":
            clauses[action].append(f"#c{index}")
            continue
        expr.values[f":c{index}"] = value
        joiner = " = " if action == "SET" else " "
        clauses[action].append(f"#c{index}{joiner}:c{index}")
    update = " ".join(f"{action} {', '.join(parts)}" for action, parts in clauses.items() if parts)
    condition = "attribute_not_exists(#rev)" if rev is None else "#rev = :rev"
    return {"update": update, "expr": expr, "condition": condition}


def prune_counters(*, table: Table, kind: ContentKind) -> int:
    """Remove what the kind's counter item keeps that no longer says anything
    (`counters.stale_attributes`); how many attributes went. Each removal is conditioned on
    the item's `rev`, so a change in the meantime makes it read again."""
    key = keys.content_counters(kind.name)
    for _ in range(_PRUNE_ATTEMPTS):
        item = table.get(key, consistent=True)
        stale = stale_attributes(item or {})
        if not stale:
            return 0
        rev = item.get(REV) if item else None
        try:
            for start in range(0, len(stale), _PRUNE_CHUNK):
                chunk = stale[start : start + _PRUNE_CHUNK]
                names = {f"#x{i}": name for i, name in enumerate(chunk)}
                table.update(
                    key,
                    update="REMOVE " + ", ".join(names),
                    condition="attribute_not_exists(#rev)" if rev is None else "#rev = :rev",
                    expr=Expression(
                        names={**names, "#rev": REV},
                        values={} if rev is None else {":rev": rev},
                    ),
                    return_values="NONE",
                )
        except ConditionFailed:
            continue  # changed meanwhile: read it again
        return len(stale)
    return 0


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
    stored = compression.compress(kind, new) if new else None
    actions: list[dict[str, Any]] = []
    if old is None:
        actions.append(table.put_action(stored or {}, condition="attribute_not_exists(PK)"))
    else:
        same_version = Expression(names={"#v": "version"}, values={":v": old["version"]})
        if stored is None:
            actions.append(table.delete_action(item_key, condition="#v = :v", expr=same_version))
        else:
            actions.append(table.put_action(stored, condition="#v = :v", expr=same_version))
    old_slug = old.get("slug") if old else None
    new_slug = new.get("slug") if new else None
    if new_slug and new_slug != old_slug:
        slug_item = {**keys.content_slug(kind.name, new_slug), "itemId": item_id}
        actions.append(table.put_action(slug_item, condition="attribute_not_exists(PK)"))
    if old_slug and old_slug != new_slug:
        actions.append(table.delete_action(keys.content_slug(kind.name, old_slug)))
    marker_key = keys.content_publication(kind.name, item_id)
    names = {"#publishAt": "publishAt"}
    if new is None:  # the item goes, with its publication and its views
        actions.append(table.delete_action(marker_key))
    elif marker == "put":  # an update, not a put: the marker also holds the item's views
        at = Expression(names=names, values={":publishAt": new["publishAt"]})
        actions.append(
            table.update_action(marker_key, update="SET #publishAt = :publishAt", expr=at)
        )
    elif marker == "delete":  # unpublished: no longer public, its views kept
        gone = Expression(names=names)
        actions.append(table.update_action(marker_key, update="REMOVE #publishAt", expr=gone))
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


@dataclass(frozen=True)
class ListPage:
    """One page of a list, its total (None unless asked for) and the cursor of the next page."""

    items: list[Item]
    total: int | None
    next_cursor: str | None


PAGE_TEXT_BUDGET = 1_000_000
"""Characters of text a list page may carry. Lambda refuses a response over 6 MB, and on the
way there the runtime's JSON envelope may write one character as 6 bytes (`\\uXXXX`). A page
of long posts therefore holds fewer than `limit` items, and its cursor goes on from there."""


def _fitting(items: list[Item]) -> int:
    """How many of `items`, from the first, fit PAGE_TEXT_BUDGET (at least one)."""
    used = 0
    for count, item in enumerate(items):
        used += sum(len(value) for value in item.values() if isinstance(value, str))
        if used > PAGE_TEXT_BUDGET:
            return max(count, 1)
    return len(items)


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
    with_total: bool = True,
) -> ListPage:
    """One page of a kind's list, newest first, its total, and a cursor that resumes exactly
    after it; as a rule one Query.

    The counter item heads the list, so a page read from the top gets the total with it; a
    cursor carries the total (signed) to the next pages. `visible_at` (public lists) hides
    scheduled items that are not yet due. It is pinned into the cursor, so later pages answer
    the same snapshot and a tampered time fails the cursor's signature check.
    """
    if offset > MAX_OFFSET:
        raise BadRequest(
            f"offset may be at most {MAX_OFFSET}; follow nextCursor to page further",
            details={"field": "offset"},
        )
    if cursor and "~" in cursor:
        pinned, _, cursor = cursor.partition("~")
        visible_at = None if visible_at is None else _pinned_time(pinned)
        # The time is signed only with the token after it (the token's query fingerprint
        # holds it): without a token, a time in the future would read the list from the top
        # with scheduled items shown.
        if visible_at is None or not cursor:
            raise BadRequest("Invalid pagination cursor", details={"field": "cursor"})
    elif visible_at is not None:
        visible_at = visible_at.replace(microsecond=visible_at.microsecond // 1000 * 1000)
    reader = _ListReader(table, kind, status=status, facet=facet, visible_at=visible_at)
    # An offset page (no cursor) must not come back short of matches that remain: its client
    # advances by the items returned, so an empty page would be a dead end. It reads on, like
    # the skipping before it, until the page is full, the list ends, or the counts read with
    # the first Query say no match is left (a rare or unknown tag must not read the list).
    offset_page = not cursor
    if cursor:
        reader.carried(table.cursor_state(cursor))
    skip, items = offset, list[Item]()
    reads = fill_rounds = 0
    while True:
        short = limit - len(items)
        if skip:
            wanted = min(skip + short, _SKIP_BATCH)
        elif offset_page and reads:
            # The filter drops most of what is read: twice as far each time, so that a sparse
            # match deep in a long list costs a few Queries, not one per page's worth.
            wanted = min(max(short, limit << min(reads, 10)), _SKIP_BATCH)
        else:
            wanted = short
        page, found = reader.read(wanted, cursor)
        reads += 1
        dropped = min(skip, len(found))
        skip -= dropped
        items.extend(found[dropped:])
        fill_rounds += 0 if skip or offset_page else 1
        cursor = page.next_cursor
        if (
            cursor is None
            or len(items) >= limit
            or fill_rounds == MAX_FILL_ROUNDS
            or reader.read_every_match
        ):
            break
    # A read-ahead may bring more than the page holds: the cursor then resumes after its last.
    kept = min(limit, _fitting(items))
    last_kept = items[kept - 1] if len(items) > kept else None
    items = items[:kept]
    counts = reader.counts
    if counts is None and reader.from_top and page.last_key is None:
        counts = Tally(total=reader.matched, unmatched=reader.dropped)  # read it all: exact
    if counts is None and with_total:
        counts = tally(get_counters(table=table, kind=kind), **reader.tally_args)
    state = {"total": counts.total, "unmatched": counts.unmatched} if counts else None
    next_cursor = table.resume_cursor(page, after=last_kept, state=state)
    if next_cursor is not None and visible_at is not None:
        next_cursor = f"{(visible_at - _EPOCH) // timedelta(milliseconds=1)}~{next_cursor}"
    total = counts.total if counts and with_total else None
    return ListPage(items=items, total=total, next_cursor=next_cursor)


_PINNED_DIGITS = 15
"""Digits a cursor's pinned time may have: milliseconds up to year 9999 take 15."""


def _pinned_time(pinned: str) -> datetime | None:
    """The time a cursor's prefix pins (ms since the epoch); None if it is not a valid one."""
    # Read before the signature check, so anything may arrive: str.isdigit() takes "²", which
    # int() refuses, and a long number overflows timedelta or datetime.
    if not (0 < len(pinned) <= _PINNED_DIGITS and pinned.isascii() and pinned.isdigit()):
        return None
    try:
        return _EPOCH + timedelta(milliseconds=int(pinned))
    except (ValueError, OverflowError):
        return None


def cursor_identity(cursor: str) -> str:
    """What a list's `nextCursor` says about the data (where the next page starts, the counts
    it carries), without what changes with the clock alone: a public cursor's pinned time, and
    the query fingerprint and signature, which hold that time."""
    return cursor_format.content_of(cursor.rpartition("~")[2])


class _ListReader:
    """The Queries of one list: its key range, filters and read sizes; takes the counter item
    out of what they return and keeps the counts it holds."""

    def __init__(
        self,
        table: Table,
        kind: ContentKind,
        *,
        status: ListStatus,
        facet: str | None,
        visible_at: datetime | None,
    ) -> None:
        self.table = table
        self.kind = kind
        self.counters_key = keys.content_counters(kind.name)
        self.facet = facet
        self.tally_args: dict[str, Any] = {
            "status": status,
            "facet": facet,
            "now": iso(visible_at) if visible_at is not None else None,
        }
        self.expr = Expression(names={}, values={":p": keys.content_list_partition(kind.name)})
        self.key_condition = "GSI1PK = :p"
        if status != "all":
            self.expr.values[":prefix"] = (
                keys.CONTENT_PUBLISHED_PREFIX
                if status == "published"
                else keys.CONTENT_DRAFT_PREFIX
            )
            self.key_condition += " AND begins_with(GSI1SK, :prefix)"
        self.holds_counters = status != "draft"
        filters: list[str] = []
        if facet is not None:
            self.expr.names["#facets"] = "facets"
            self.expr.values[":facet"] = facet
            filters.append("contains(#facets, :facet)")
        if visible_at is not None:
            self.expr.names["#publishAt"] = "publishAt"
            self.expr.values[":now"] = iso(visible_at)
            filters.append("#publishAt <= :now")
        self.filter: str | None = None
        if filters:
            self.filter = " AND ".join(filters)
            if self.holds_counters:
                self.expr.names["#head"] = LIST_HEAD
                self.filter = f"({self.filter}) OR attribute_exists(#head)"
        self.counts: Tally | None = None
        self.from_top = True
        self.matched = 0
        self.dropped = 0

    def carried(self, state: dict[str, Any]) -> None:
        """Resume after a cursor, with the counts it carries (none in older cursors)."""
        self.from_top = False
        if isinstance(state.get("total"), int) and isinstance(state.get("unmatched"), int):
            self.counts = Tally(total=state["total"], unmatched=state["unmatched"])

    @property
    def read_every_match(self) -> bool:
        """Whether a read from the top has met every match the counter item says the list has."""
        # The counts describe the whole list for this filter, and a read from the top (an
        # offset page) counts every match it meets, skipped ones too; a page after a cursor
        # does not know how many matches came before it.
        return self.from_top and self.counts is not None and self.matched >= self.counts.total

    def read(self, wanted: int, cursor: str | None) -> tuple[Page, list[Item]]:
        """One Query for `wanted` more items; returns its page and the items (counters out)."""
        # Limit counts the items DynamoDB evaluates, matching or not: a read from the top also
        # evaluates the counter item, and a filtered read a few more, so that one Query fills
        # the page even when the filter drops some (extra items are left for the next page).
        head = 1 if cursor is None and self.holds_counters else 0
        page = self.table.query(
            key_condition=self.key_condition,
            expr=self.expr,
            index=GSI1,
            limit=wanted + head + self._read_ahead(wanted),
            forward=False,
            cursor_token=cursor,
            filter_expression=self.filter,
        )
        found = []
        for item in page.items:
            if all(item.get(name) == value for name, value in self.counters_key.items()):
                self.counts = self.counts or tally(item, **self.tally_args)
            else:
                found.append(compression.decompress(self.kind, item))
        self.matched += len(found)
        self.dropped += page.scanned - len(page.items)
        return page, found

    def _read_ahead(self, wanted: int) -> int:
        if self.filter is None:
            return 0
        if self.counts is not None:
            return min(self.counts.unmatched, max(wanted, LATER_READ_AHEAD))
        scheduled = SCHEDULED_READ_AHEAD if self.tally_args["now"] is not None else 0
        return scheduled + (wanted if self.facet is not None else 0)


def require(item: Item | None, *, kind: ContentKind, item_id: str) -> Item:
    """`item`, or a 404 naming what was not found."""
    if item is None:
        raise NotFound(f"{kind.label} {item_id} not found")
    return item
