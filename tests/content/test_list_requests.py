"""A public list page is one DynamoDB Query: the kind's counter item heads the list, so the
first page reads the total with its items, and the cursor carries it to the next pages."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.content.service import reindex
from portfolio_api.db import keys
from portfolio_api.db.table import Expression, Table
from tests.content.conftest import START, MakeItem
from tests.visitors.fakes import CountingClient

Headers = dict[str, str]
TOMORROW = (START + timedelta(days=1)).isoformat()
ONE_QUERY = {"query": 1}
SIGN_OUT_CHECK = {"get_item": 1}
"""What every request with a token adds: its user's last logout (auth.sessions)."""
OWNER_ONE_QUERY = ONE_QUERY | SIGN_OUT_CHECK


def _get(
    client: TestClient,
    dynamodb: CountingClient,
    path: str,
    params: dict[str, Any] | None = None,
    headers: Headers | None = None,
) -> tuple[dict[str, Any], dict[str, int]]:
    """The JSON body of a GET and the DynamoDB requests it made."""
    dynamodb.reset()
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body, dict(dynamodb.calls)


def _walk(
    client: TestClient,
    dynamodb: CountingClient,
    path: str,
    params: dict[str, Any],
    headers: Headers | None = None,
) -> list[tuple[dict[str, Any], dict[str, int]]]:
    """Every page of a list, following nextCursor, with the requests of each."""
    pages = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body, calls = _get(client, dynamodb, path, query, headers)
        pages.append((body, calls))
        cursor = body["nextCursor"]
        if cursor is None:
            return pages


def _schedule(client: TestClient, headers: Headers, post_id: str) -> None:
    response = client.post(
        f"/v1/blog/posts/{post_id}/publish", json={"publishAt": TOMORROW}, headers=headers
    )
    assert response.json()["scheduled"] is True


@pytest.fixture
def site(
    client: TestClient,
    owner_headers: Headers,
    make_post: MakeItem,
    clock: FixedClock,
    dynamodb: CountingClient,
) -> list[str]:
    """Six public posts, a minute apart (Backend/python and Frontend/rust alternating, the
    oldest Backend), two drafts and two posts scheduled for tomorrow (both Backend/python);
    returns the public ids newest first."""
    public: list[str] = []
    for i in range(6):
        clock.advance(minutes=1)
        category, tag = ("Backend", "python") if i % 2 == 0 else ("Frontend", "rust")
        post = make_post(title=f"Post {i}", category=category, tags=[tag], publish=True)
        public.insert(0, post["id"])
    for i in range(2):
        make_post(title=f"Draft {i}")
        _schedule(client, owner_headers, make_post(title=f"Later {i}")["id"])
    return public


LISTS = [
    pytest.param({}, slice(None), id="all"),
    pytest.param({"category": "Backend"}, slice(1, None, 2), id="category"),
    pytest.param({"tag": "python"}, slice(1, None, 2), id="tag"),
    pytest.param({"category": "frontend", "tag": "RUST"}, slice(0, None, 2), id="category+tag"),
]


@pytest.mark.parametrize(("filters", "expected"), LISTS)
def test_a_public_first_page_is_one_query_with_the_total(
    client: TestClient,
    dynamodb: CountingClient,
    site: list[str],
    filters: dict[str, str],
    expected: slice,
) -> None:
    body, calls = _get(client, dynamodb, "/v1/blog/posts", {**filters, "limit": 2})
    assert calls == ONE_QUERY
    assert [post["id"] for post in body["posts"]] == site[expected][:2]
    assert body["total"] == len(site[expected])


@pytest.mark.parametrize(("filters", "expected"), LISTS)
def test_every_public_cursor_page_is_one_query_with_the_same_total(
    client: TestClient,
    dynamodb: CountingClient,
    site: list[str],
    filters: dict[str, str],
    expected: slice,
) -> None:
    pages = _walk(client, dynamodb, "/v1/blog/posts", {**filters, "limit": 2})
    assert [calls for _, calls in pages] == [ONE_QUERY] * len(pages)
    assert [post["id"] for body, _ in pages for post in body["posts"]] == site[expected]
    assert {body["total"] for body, _ in pages} == {len(site[expected])}


def test_an_offset_page_is_one_query(
    client: TestClient, dynamodb: CountingClient, site: list[str]
) -> None:
    body, calls = _get(client, dynamodb, "/v1/blog/posts", {"limit": 2, "offset": 3})
    assert calls == ONE_QUERY
    assert [post["id"] for post in body["posts"]] == site[3:5]
    assert body["total"] == 6


def test_more_scheduled_posts_than_the_read_ahead_cost_one_more_query(
    client: TestClient,
    owner_headers: Headers,
    dynamodb: CountingClient,
    make_post: MakeItem,
    site: list[str],
) -> None:
    _schedule(client, owner_headers, make_post(title="Later 3")["id"])
    body, calls = _get(client, dynamodb, "/v1/blog/posts", {"limit": 2})
    assert calls == {"query": 2}  # the second sized by the counts the first one read
    assert [post["id"] for post in body["posts"]] == site[:2]
    assert body["total"] == 6


def test_a_cursor_with_an_altered_total_is_rejected(
    client: TestClient, dynamodb: CountingClient, site: list[str]
) -> None:
    body, _ = _get(client, dynamodb, "/v1/blog/posts", {"limit": 2})
    pinned, _, token = body["nextCursor"].partition("~")
    payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["s"]["total"] = 600
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    response = client.get("/v1/blog/posts", params={"cursor": f"{pinned}~{forged}.{signature}"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/v1/blog/posts", "/v1/projects", "/v1/certifications"])
@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("\u00b2~abc", id="superscript-digit"),
        pytest.param("\u0663~abc", id="arabic-indic-digit"),
        pytest.param("9" * 30 + "~x", id="overflowing-time"),
        pytest.param("9" * 15 + "~x", id="past-year-9999"),
        pytest.param("~x", id="no-time"),
    ],
)
def test_a_cursor_with_a_malformed_pinned_time_is_a_400(
    client: TestClient, path: str, cursor: str
) -> None:
    response = client.get(path, params={"cursor": cursor})
    assert response.status_code == 400, response.text
    assert response.json()["message"] == "Invalid pagination cursor"
    assert response.json()["details"] == {"field": "cursor"}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "published"},
        {"status": "all"},
        {"status": "draft"},
        {"status": "all", "category": "Backend"},
        {"status": "published", "tag": "python"},
    ],
)
def test_the_counter_item_never_appears_in_an_owner_list(
    client: TestClient,
    owner_headers: Headers,
    dynamodb: CountingClient,
    site: list[str],
    params: dict[str, str],
) -> None:
    everything, _ = _get(
        client, dynamodb, "/v1/blog/posts", {**params, "limit": 100}, owner_headers
    )
    pages = _walk(client, dynamodb, "/v1/blog/posts", {**params, "limit": 1}, owner_headers)
    ids = [post["id"] for body, _ in pages for post in body["posts"]]
    assert ids == [post["id"] for post in everything["posts"]]
    assert all(post_id.startswith("post_") for post_id in ids)
    assert {body["total"] for body, _ in pages} == {everything["total"]} == {len(ids)}


def test_the_counter_item_never_appears_in_a_public_list(
    client: TestClient, dynamodb: CountingClient, site: list[str]
) -> None:
    for filters in ({}, {"category": "Backend"}, {"tag": "python"}):
        for limit in (1, 3, 100):
            pages = _walk(client, dynamodb, "/v1/blog/posts", {**filters, "limit": limit})
            for body, _ in pages:
                assert all(post["id"].startswith("post_") for post in body["posts"])
                assert "COUNTS" not in json.dumps(body)


def test_owner_lists_of_published_or_all_are_one_query(
    client: TestClient, owner_headers: Headers, dynamodb: CountingClient, site: list[str]
) -> None:
    published, calls = _get(
        client, dynamodb, "/v1/blog/posts", {"status": "published", "limit": 2}, owner_headers
    )
    assert (calls, published["total"]) == (OWNER_ONE_QUERY, 8)  # scheduled ones included
    everything, calls = _get(
        client, dynamodb, "/v1/blog/posts", {"status": "all", "limit": 2}, owner_headers
    )
    assert (calls, everything["total"]) == (OWNER_ONE_QUERY, 10)


def test_a_draft_list_longer_than_its_page_reads_the_counters_too(
    client: TestClient, owner_headers: Headers, dynamodb: CountingClient, site: list[str]
) -> None:
    drafts, calls = _get(
        client, dynamodb, "/v1/blog/posts", {"status": "draft", "limit": 1}, owner_headers
    )
    assert (calls, drafts["total"]) == ({"query": 1, "get_item": 2}, 2)  # counters, sign-out
    rest, calls = _get(
        client,
        dynamodb,
        "/v1/blog/posts",
        {"status": "draft", "limit": 1, "cursor": drafts["nextCursor"]},
        owner_headers,
    )
    assert (calls, rest["total"], rest["nextCursor"]) == (OWNER_ONE_QUERY, 2, None)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/blog/posts", {}),
        ("/v1/projects", {"featured": "true"}),
        ("/v1/certifications", {"type": "certification"}),
    ],
)
def test_a_kind_without_counter_item_yet_answers_zero_in_one_query(
    client: TestClient, dynamodb: CountingClient, path: str, params: dict[str, str]
) -> None:
    body, calls = _get(client, dynamodb, path, params)
    assert calls == ONE_QUERY
    assert body["total"] == 0
    assert body["nextCursor"] is None


def test_projects_and_certifications_lists_are_one_query(
    client: TestClient,
    dynamodb: CountingClient,
    make_project: MakeItem,
    make_certification: MakeItem,
    clock: FixedClock,
) -> None:
    for i in range(4):
        make_project(name=f"Project {i}", featured=i == 0, publish=True)
        make_certification(name=f"Cert {i}", type=("certification", "course")[i % 2], publish=True)
    make_project(name="Draft")
    for path, params, total in (
        ("/v1/projects", {"limit": 1}, 4),
        ("/v1/projects", {"featured": "true", "limit": 1}, 1),
        ("/v1/certifications", {"limit": 3}, 4),
        ("/v1/certifications", {"type": "course", "limit": 1}, 2),
    ):
        pages = _walk(client, dynamodb, path, params)
        assert [calls for _, calls in pages] == [ONE_QUERY] * len(pages)
        assert {body["total"] for body, _ in pages} == {total}


def test_a_later_page_reads_past_every_item_its_filter_drops_in_one_query(
    client: TestClient, dynamodb: CountingClient, make_certification: MakeItem, clock: FixedClock
) -> None:
    # Oldest to newest (so newest first too): course, certification, certification, course.
    # The second page of `type=course` must skip both certifications within its one Query.
    for kind in ("course", "certification", "certification", "course"):
        clock.advance(minutes=1)
        make_certification(name=f"A {kind}", type=kind, publish=True)
    pages = _walk(client, dynamodb, "/v1/certifications", {"type": "course", "limit": 1})
    assert [calls for _, calls in pages] == [ONE_QUERY, ONE_QUERY]
    assert [len(body["certifications"]) for body, _ in pages] == [1, 1]


def test_public_totals_stay_exact_through_every_change(
    client: TestClient,
    owner_headers: Headers,
    dynamodb: CountingClient,
    make_post: MakeItem,
    clock: FixedClock,
) -> None:
    def public_total() -> int:
        body, calls = _get(client, dynamodb, "/v1/blog/posts", {"limit": 1})
        assert calls == ONE_QUERY
        return int(body["total"])

    def owner_total(status: str) -> int:
        body, _ = _get(client, dynamodb, "/v1/blog/posts", {"status": status}, owner_headers)
        return int(body["total"])

    assert public_total() == 0
    first = make_post(title="First")
    assert (public_total(), owner_total("draft"), owner_total("all")) == (0, 1, 1)
    client.post(f"/v1/blog/posts/{first['id']}/publish", headers=owner_headers)
    assert (public_total(), owner_total("published"), owner_total("draft")) == (1, 1, 0)
    second = make_post(title="Second")
    _schedule(client, owner_headers, second["id"])
    assert (public_total(), owner_total("published")) == (1, 2)
    clock.advance(days=1)
    assert public_total() == 2
    client.post(f"/v1/blog/posts/{first['id']}/unpublish", headers=owner_headers)
    assert (public_total(), owner_total("draft")) == (1, 1)
    client.delete(f"/v1/blog/posts/{second['id']}", headers=owner_headers)
    assert (public_total(), owner_total("all")) == (0, 1)


def test_counters_written_before_their_list_keys_are_read_with_a_get_until_the_next_change(
    client: TestClient,
    table: Table,
    dynamodb: CountingClient,
    make_post: MakeItem,
    site: list[str],
) -> None:
    counters = keys.content_counters("blog")
    table.update(counters, update="REMOVE GSI1PK, GSI1SK, listHead", expr=Expression())
    body, calls = _get(client, dynamodb, "/v1/blog/posts", {"limit": 2})
    assert (calls, body["total"]) == ({"query": 1, "get_item": 1}, 6)
    body, calls = _get(client, dynamodb, "/v1/blog/posts", {"limit": 100})
    assert (calls, body["total"]) == (ONE_QUERY, 6)  # read to the end: counted, exact
    make_post(title="Any change of the kind writes the keys")
    body, calls = _get(client, dynamodb, "/v1/blog/posts", {"limit": 2})
    assert (calls, body["total"]) == (ONE_QUERY, 6)


def test_reindex_puts_counters_written_before_their_list_keys_at_the_head_of_the_list(
    client: TestClient,
    table: Table,
    dynamodb: CountingClient,
    site: list[str],
    clock: FixedClock,
) -> None:
    counters = keys.content_counters("blog")
    table.update(counters, update="REMOVE GSI1PK, GSI1SK, listHead", expr=Expression())
    assert reindex(table=table, now=clock.now()).list_heads == 1
    body, calls = _get(client, dynamodb, "/v1/blog/posts", {"limit": 2})
    assert (calls, body["total"]) == (ONE_QUERY, 6)
    assert reindex(table=table, now=clock.now()).list_heads == 0  # idempotent


def test_reindex_creates_no_counters_for_a_kind_never_written(table: Table) -> None:
    assert reindex(table=table).list_heads == 0
    assert table.get(keys.content_counters("blog")) is None


def test_the_feed_and_the_sitemap_are_one_query_each(
    client: TestClient, dynamodb: CountingClient, site: list[str]
) -> None:
    dynamodb.reset()
    assert client.get("/v1/blog/feed.xml").status_code == 200
    assert dict(dynamodb.calls) == ONE_QUERY
    dynamodb.reset()
    response = client.get("/v1/sitemap.xml")
    assert response.status_code == 200
    assert dict(dynamodb.calls) == ONE_QUERY
    assert "COUNTS" not in response.text
