"""DynamoDB access to the site index (`GSI2`): every published page of the site in one
partition, `GSI2PK=SITE`, `GSI2SK=<kind>#<slug or id>` (`keys.content_site_entry`).

An item is in it while it is published (scheduled ones too: readers compare `publishAt`) and
its kind has pages (`ContentKind.site_ref`). `service._complete` sets the keys at every write;
`backfill` adds them to published items last written before the index had them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import islice

from portfolio_api.clock import iso
from portfolio_api.content import compression
from portfolio_api.content.kind import ContentKind
from portfolio_api.db import keys
from portfolio_api.db.codec import Item
from portfolio_api.db.schema import GSI1, GSI2
from portfolio_api.db.table import ConditionFailed, Expression, Table


def get_by_slug(*, table: Table, kind: ContentKind, slug: str) -> Item | None:
    """The published item whose page is `slug` (eventually consistent), or None."""
    entry = keys.content_site_entry(kind.name, slug)
    expr = Expression(values={":site": entry["GSI2PK"], ":page": entry["GSI2SK"]})
    page = table.query(
        key_condition="GSI2PK = :site AND GSI2SK = :page", expr=expr, index=GSI2, limit=1
    )
    return compression.decompress(kind, page.items[0]) if page.items else None


def pages(*, table: Table, now: datetime, fields: tuple[str, ...], limit: int) -> list[Item]:
    """`fields` of every public page, with its `kind` and `ref` (slug or id), in index order;
    one Query per 1 MB of the index, until `limit` pages are read.

    `fields` must not name compressed attributes: only the projection is returned, and
    decompressing needs the attributes a compressed one depends on.
    """
    names = {f"#f{i}": name for i, name in enumerate(("GSI2SK", *fields))}
    expr = Expression(
        names={**names, "#publishAt": "publishAt"},
        values={":site": keys.content_site_partition(), ":now": iso(now)},
    )
    items = table.query_all(
        key_condition="GSI2PK = :site",
        expr=expr,
        index=GSI2,
        filter_expression="#publishAt <= :now",
        projection=", ".join(names),
    )
    found: list[Item] = []
    for item in islice(items, limit):
        kind, ref = keys.content_site_page(str(item.pop("GSI2SK")))
        found.append({**item, "kind": kind, "ref": ref})
    return found


def backfill(*, table: Table, kind: ContentKind) -> int:
    """Give every published item of `kind` that lacks them its site index keys; returns how
    many items were changed. Idempotent; an item changed meanwhile is left to its own write."""
    if kind.site_ref is None:
        return 0
    changed = 0
    for item in _published(table, kind):
        ref = item.get(kind.site_ref)
        if "id" not in item or not ref:  # the counter item heads the list; it has no page
            continue
        entry = keys.content_site_entry(kind.name, str(ref))
        if all(item.get(name) == value for name, value in entry.items()):
            continue
        expr = Expression(
            names={"#v": "version", "#s": "status"},
            values={
                ":pk": entry["GSI2PK"],
                ":sk": entry["GSI2SK"],
                ":v": item["version"],
                ":published": "published",
            },
        )
        try:
            table.update(
                keys.content_item(kind.name, str(item["id"])),
                update="SET GSI2PK = :pk, GSI2SK = :sk",
                expr=expr,
                condition="#v = :v AND #s = :published",
                return_values="NONE",
            )
        except ConditionFailed:
            continue  # written since the list was read, and that write set the keys
        changed += 1
    return changed


def _published(table: Table, kind: ContentKind) -> Iterator[Item]:
    """The keys, version and page ref of every published or scheduled item of `kind`."""
    attributes = ("id", "version", "GSI2PK", "GSI2SK", kind.site_ref or "id")
    names = {f"#a{i}": name for i, name in enumerate(dict.fromkeys(attributes))}
    expr = Expression(
        names=names,
        values={
            ":p": keys.content_list_partition(kind.name),
            ":prefix": keys.CONTENT_PUBLISHED_PREFIX,
        },
    )
    return table.query_all(
        key_condition="GSI1PK = :p AND begins_with(GSI1SK, :prefix)",
        expr=expr,
        index=GSI1,
        projection=", ".join(names),
    )
