"""Every primary and GSI key of the single table is built here, and only here.

Key strings are a persisted contract: changing one orphans the items already stored under it.
`tests/db/test_keys.py` pins their exact shapes.

Conventions: `PK`/`SK` are the table keys, `GSI1PK`/`GSI1SK` the lists' global secondary
index (`GSI1`), `GSI2PK`/`GSI2SK` the public site index (`GSI2`): a sparse index with one
partition, `SITE`, holding every published page of the site (blog posts by slug, projects by
id), so that a post by slug and the whole sitemap are one Query each. Segments are joined
with `#`; caller-supplied segments (ids, slugs) are validated before they get here, so they
never contain `#`.

Access patterns (see docs/data-model.md for the endpoint -> request table):

| pattern                       | operation | key                                      |
|-------------------------------|-----------|------------------------------------------|
| total visitor count           | GetItem   | PK=`VISITORS`, SK=`TOTAL`                |
| count a visit (and its day)   | UpdateItem ADD | PK=`VISITORS`, SK=`TOTAL`           |
| is content item public?       | GetItem / ConditionCheck | PK=`PUB#<kind>`, SK=`<id>`     |
| content item by id            | GetItem   | PK=`CONTENT#<kind>#<id>`, SK=`ITEM`      |
| published post by slug        | Query GSI2 | GSI2PK=`SITE`, GSI2SK=`blog#<slug>` (published) |
| published pages (sitemap)     | Query GSI2 | GSI2PK=`SITE`: `blog#<slug>`, `project#<id>` |
| item by slug (owner)          | GetItem x2 | PK=`SLUG#<kind>#<slug>`, SK=`SLUG`, then the item |
| list published / scheduled    | Query GSI1 | GSI1PK=`LIST#<kind>`, GSI1SK begins_with `PUB#` |
| list drafts                   | Query GSI1 | GSI1PK=`LIST#<kind>`, GSI1SK begins_with `DRAFT#` |
| list everything (owner)       | Query GSI1 | GSI1PK=`LIST#<kind>`                     |
| totals, categories            | GetItem   | PK=`COUNTS#<kind>`, SK=`COUNTS`          |
| totals with a list's page     | Query GSI1 | the counters: GSI1PK=`LIST#<kind>`, `PUB#~COUNTS` |
| visitors on a past day        | UpdateItem ADD | PK=`VISITORS`, SK=`DAY#<yyyy-mm-dd>`      |
| daily / monthly trends        | Query SK BETWEEN | PK=`VISITORS`, SK=`DAY#<first>`..`TOTAL` |
| today's de-dup salt           | GetItem, PutItem if absent | PK=`SALT`, SK=`<yyyy-mm-dd>` |
| visitor counted today?        | Put if absent | PK=`SEEN#<hash>`, SK=`VISIT#<yyyy-mm-dd>` |
| view counted today?           | Put if absent | PK=`SEEN#<hash>`, SK=`VIEW#<day>#<kind>#<id>` |
| views of one content item     | GetItem / UpdateItem ADD | PK=`PUB#<kind>`, SK=`<id>`     |
| views of every item of a kind | Query     | PK=`PUB#<kind>`                          |
| views of all content          | Query per kind (sum) | PK=`PUB#<kind>`                   |
| the resume (draft, published) | GetItem / UpdateItem | PK=`RESUME`, SK=`CURRENT`     |
| user's last logout            | GetItem / PutItem | PK=`SIGNOUT#<sub>`, SK=`SIGNOUT`  |
| task by id                    | GetItem / UpdateItem / DeleteItem | PK=`TASKS`, SK=`<id>` |
| tasks, newest first           | Query, backwards | PK=`TASKS` (ids sort by creation time)  |
| tasks by due date             | Query GSI1 | GSI1PK=`TASKS#DUE`, GSI1SK=`<day>#<id>` (`~#<id>`) |
| tasks due before a day        | Query GSI1 | GSI1PK=`TASKS#DUE`, GSI1SK < `<yyyy-mm-dd>`     |
"""

from __future__ import annotations

from datetime import date

Key = dict[str, str]

VISITORS = "VISITORS"


def visitor_total() -> Key:
    """The all-time visitor counter, with the count of its current UTC day (`day`,
    `dayVisitors`). It sorts after every `DAY#` item of its partition."""
    return {"PK": VISITORS, "SK": "TOTAL"}


CONTENT_KINDS = ("blog", "project", "certification")


def content_publication_partition(kind: str) -> str:
    """The partition of the publication markers of every item of `kind`."""
    return f"PUB#{kind}"


def content_publication(kind: str, item_id: str) -> Key:
    """The publication marker of a content item: its `publishAt` (ISO 8601 UTC) while the item
    is published or scheduled, and its `views`. It is small, so view tracking checks "is this
    item public?" and counts the view on one item (0.5 RRU to read) instead of reading the
    item. Unpublishing removes `publishAt` and keeps the views; deleting the item deletes it."""
    return {"PK": content_publication_partition(kind), "SK": item_id}


# --- Content: blog posts, projects, certifications (portfolio_api.content) ---------------
#
# `kind` is one of CONTENT_KINDS. A content item's list entry lives in GSI1 partition
# `LIST#<kind>`: published and scheduled items sort under `PUB#<sort value>#<id>` (newest first
# when queried backwards), drafts under `DRAFT#<createdAt>#<id>`, so one Query serves
# "published", "draft" (begins_with) and "all" (the whole partition). The kind's counter item
# sits at `PUB#~COUNTS`, above every published entry (sort values are dates, and `~` sorts
# after every digit), so a backwards Query of "published" or "all" reads it first.
# A published item of a kind with a public page (`ContentKind.site_ref`) is also in GSI2
# partition `SITE` under `<kind>#<slug or id>`: the site index, one partition for the sitemap.

CONTENT_PUBLISHED_PREFIX = "PUB#"
SITE = "SITE"
CONTENT_DRAFT_PREFIX = "DRAFT#"


def content_item(kind: str, item_id: str) -> Key:
    """A blog post, project or certification."""
    return {"PK": f"CONTENT#{kind}#{item_id}", "SK": "ITEM"}


def content_slug(kind: str, slug: str) -> Key:
    """The uniqueness item of a slug; its `itemId` names the item that owns the slug."""
    return {"PK": f"SLUG#{kind}#{slug}", "SK": "SLUG"}


def content_site_partition() -> str:
    """The GSI2 partition holding every published page of the site."""
    return SITE


def content_site_entry(kind: str, ref: str) -> Key:
    """The GSI2 keys of a published page: `ref` is a post's slug or a project's id (whatever
    its public URL is made of)."""
    return {"GSI2PK": SITE, "GSI2SK": f"{kind}#{ref}"}


def content_site_page(sort_key: str) -> tuple[str, str]:
    """The kind and the ref (slug or id) of a site index entry, from its GSI2SK."""
    kind, _, ref = sort_key.partition("#")
    return kind, ref


def content_counters(kind: str) -> Key:
    """Per-kind counters (by status and facet), category labels and the scheduled items."""
    return {"PK": f"COUNTS#{kind}", "SK": "COUNTS"}


def content_counters_list_entry(kind: str) -> Key:
    """The GSI1 keys of the kind's counter item: the head of its list, before every item."""
    return {"GSI1PK": content_list_partition(kind), "GSI1SK": f"{CONTENT_PUBLISHED_PREFIX}~COUNTS"}


def content_list_partition(kind: str) -> str:
    """The GSI1 partition holding every item of a kind."""
    return f"LIST#{kind}"


def content_list_entry(kind: str, item_id: str, *, published: bool, sort_value: str) -> Key:
    """The GSI1 keys of an item: its place in the kind's list."""
    prefix = CONTENT_PUBLISHED_PREFIX if published else CONTENT_DRAFT_PREFIX
    return {"GSI1PK": content_list_partition(kind), "GSI1SK": f"{prefix}{sort_value}#{item_id}"}


# --- Visitors and content views (portfolio_api.visitors, portfolio_api.analytics) ---------
#
# A de-dup marker is keyed by a visitor's daily hash (HMAC of IP and User-Agent under the
# day's secret salt), never by an IP; markers and salts vanish through `expiresAt`. Counters
# are numbers changed with ADD. `<hash>` is hex, `<kind>` one of CONTENT_KINDS.

SALT = "SALT"
SEEN = "SEEN"
VIEWS = "VIEWS"


def visitor_day(day: date) -> Key:
    """The number of distinct visitors on one UTC day, once a later day has begun (the current
    day's count rides on the total)."""
    return {"PK": VISITORS, "SK": f"DAY#{day.isoformat()}"}


def daily_salt(day: date) -> Key:
    """The secret salt of one UTC day's visitor hashes."""
    return {"PK": SALT, "SK": day.isoformat()}


def visit_seen(visitor: str, day: date) -> Key:
    """The marker that `visitor` (a daily hash) was counted on `day`."""
    return {"PK": f"{SEEN}#{visitor}", "SK": f"VISIT#{day.isoformat()}"}


def view_seen(visitor: str, day: date, kind: str, item_id: str) -> Key:
    """The marker that `visitor` (a daily hash) viewed one content item on `day`."""
    return {"PK": f"{SEEN}#{visitor}", "SK": f"VIEW#{day.isoformat()}#{kind}#{item_id}"}


def is_visitor_trace(partition: str) -> bool:
    """Whether items of `partition` tie visitors to their traffic: a day's salt, from which
    the day's hashes can be recomputed, or a de-dup marker. They live a day or two in the
    table and never leave it (backups skip them)."""
    return partition == SALT or partition.startswith(f"{SEEN}#")


def content_views_partition(kind: str) -> str:
    """The partition of the view counters earlier releases kept for every item of `kind`."""
    return f"{VIEWS}#{kind}"


def content_views(kind: str, item_id: str) -> Key:
    """The view counter earlier releases kept for one content item; `portfolio-api reindex`
    moves it onto the item's publication marker (`content_publication`)."""
    return {"PK": content_views_partition(kind), "SK": item_id}


# --- Sign-outs (portfolio_api.auth.sessions) ---------------------------------------------
#
# Cognito's ID and access tokens stay valid until they expire; the app refuses those issued
# before a user's last logout. `<sub>` is the user's Cognito `sub` (a UUID).


def user_sign_out(sub: str) -> Key:
    """When the user last logged out (`atMs`, epoch milliseconds)."""
    return {"PK": f"SIGNOUT#{sub}", "SK": "SIGNOUT"}


# --- Resume and tasks (portfolio_api.resume, portfolio_api.tasks) ------------------------
#
# The owner has one resume: a single item holds the draft, the published copy and their
# versions, so publishing is one UpdateItem (`SET published = draft`). Tasks share one
# partition (one owner, a few hundred items at most); task ids are time-ordered, so the
# partition read backwards is "newest first". GSI1 orders them by due date; tasks without
# one sort last under `~` (after every digit).

RESUME = "RESUME"
TASKS = "TASKS"
TASKS_BY_DUE = "TASKS#DUE"
TASK_NO_DUE_DATE = "~"


def resume() -> Key:
    """The owner's resume: draft, published copy and versions in one item."""
    return {"PK": RESUME, "SK": "CURRENT"}


def task(task_id: str) -> Key:
    """One task of the owner."""
    return {"PK": TASKS, "SK": task_id}


def task_partition() -> str:
    """The partition holding every task, in creation order."""
    return TASKS


def task_due_partition() -> str:
    """The GSI1 partition ordering every task by due date."""
    return TASKS_BY_DUE


def task_due_entry(task_id: str, due: date | None) -> Key:
    """The GSI1 keys of a task: its place in the due-date order."""
    day = due.isoformat() if due else TASK_NO_DUE_DATE
    return {"GSI1PK": TASKS_BY_DUE, "GSI1SK": f"{day}#{task_id}"}


def task_due_before(day: date) -> str:
    """The exclusive GSI1SK upper bound of tasks due strictly before `day`."""
    return day.isoformat()
