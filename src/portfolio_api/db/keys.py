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
| content item by id            | GetItem   | PK=`CONTENT#<kind>#<id>`, SK=`ITEM`      |
| content item by slug          | GetItem x2 | PK=`SLUG#<kind>#<slug>`, SK=`SLUG`, then the item |
| list published / scheduled    | Query GSI1 | GSI1PK=`LIST#<kind>`, GSI1SK begins_with `PUB#` |
| list drafts                   | Query GSI1 | GSI1PK=`LIST#<kind>`, GSI1SK begins_with `DRAFT#` |
| list everything (owner)       | Query GSI1 | GSI1PK=`LIST#<kind>`                     |
| totals, categories            | GetItem   | PK=`COUNTS#<kind>`, SK=`COUNTS`          |
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


# --- Content: blog posts, projects, certifications (portfolio_api.content) ---------------
#
# `kind` is one of CONTENT_KINDS. A content item's list entry lives in GSI1 partition
# `LIST#<kind>`: published and scheduled items sort under `PUB#<sort value>#<id>` (newest first
# when queried backwards), drafts under `DRAFT#<createdAt>#<id>`, so one Query serves
# "published", "draft" (begins_with) and "all" (the whole partition).

CONTENT_PUBLISHED_PREFIX = "PUB#"
CONTENT_DRAFT_PREFIX = "DRAFT#"


def content_item(kind: str, item_id: str) -> Key:
    """A blog post, project or certification."""
    return {"PK": f"CONTENT#{kind}#{item_id}", "SK": "ITEM"}


def content_slug(kind: str, slug: str) -> Key:
    """The uniqueness item of a slug; its `itemId` names the item that owns the slug."""
    return {"PK": f"SLUG#{kind}#{slug}", "SK": "SLUG"}


def content_counters(kind: str) -> Key:
    """Per-kind counters (by status and facet), category labels and the scheduled items."""
    return {"PK": f"COUNTS#{kind}", "SK": "COUNTS"}


def content_list_partition(kind: str) -> str:
    """The GSI1 partition holding every item of a kind."""
    return f"LIST#{kind}"


def content_list_entry(kind: str, item_id: str, *, published: bool, sort_value: str) -> Key:
    """The GSI1 keys of an item: its place in the kind's list."""
    prefix = CONTENT_PUBLISHED_PREFIX if published else CONTENT_DRAFT_PREFIX
    return {"GSI1PK": content_list_partition(kind), "GSI1SK": f"{prefix}{sort_value}#{item_id}"}
