"""Every primary and GSI key of the single table is built here, and only here.

Key strings are a persisted contract: changing one orphans the items already stored under it.
`tests/db/test_keys.py` pins their exact shapes.

Conventions: `PK`/`SK` are the table keys, `GSI1PK`/`GSI1SK` the one global secondary index
(`GSI1`). Segments are joined with `#`; caller-supplied segments (ids, slugs) are validated
before they get here, so they never contain `#`.

Access patterns (see docs/data-model.md for the endpoint -> request table):

| pattern                       | operation | key                                      |
|-------------------------------|-----------|------------------------------------------|
| total visitor count           | GetItem   | PK=`VISITORS`, SK=`TOTAL`                |
| count a visit                 | UpdateItem ADD | PK=`VISITORS`, SK=`TOTAL`           |
| is content item public?       | GetItem / ConditionCheck | PK=`PUB#<kind>`, SK=`<id>`     |
"""

from __future__ import annotations

Key = dict[str, str]

VISITORS = "VISITORS"


def visitor_total() -> Key:
    """The all-time visitor counter."""
    return {"PK": VISITORS, "SK": "TOTAL"}


CONTENT_KINDS = ("blog", "project", "certification")


def content_publication(kind: str, item_id: str) -> Key:
    """The publication marker of a content item: present while the item is published or
    scheduled, with its `publishAt` (ISO 8601 UTC). It is small, so other features (view
    tracking) can check "is this item public?" for 0.5 RRU instead of reading the item."""
    return {"PK": f"PUB#{kind}", "SK": item_id}
