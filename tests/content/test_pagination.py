"""Paging through 250 posts: cursors and offsets agree, every post exactly once, and totals come
from the maintained counters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.content.conftest import post_fields
from tests.content.seeding import Seeded, published_posts
from tests.visitors.fakes import CountingClient

COUNT = 250


@pytest.fixture(scope="module")
def paged() -> Iterator[Seeded]:
    """The app over 250 published posts, one a minute (every other one in category Even);
    the ids newest first. Built once for the module: the tests only read."""
    for client, ids, counting in published_posts(
        table_name="portfolio-pages",
        count=COUNT,
        fields_of=lambda i: post_fields(
            title=f"Post {i}", category="Even" if i % 2 == 0 else "Odd"
        ),
    ):
        yield client, ids[::-1], counting


@pytest.fixture
def client(paged: tuple[TestClient, list[str], CountingClient]) -> TestClient:
    """An anonymous client of the module's app."""
    return paged[0]


@pytest.fixture
def published_ids(paged: tuple[TestClient, list[str], CountingClient]) -> list[str]:
    """The 250 post ids, newest first."""
    return paged[1]


@pytest.fixture
def dynamodb(paged: tuple[TestClient, list[str], CountingClient]) -> CountingClient:
    """The app's DynamoDB client, counting (reset for each test)."""
    paged[2].reset()
    return paged[2]


def _walk(client: TestClient, params: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get("/v1/blog/posts", params=query).json()
        pages.append(body)
        seen.extend(post["id"] for post in body["posts"])
        cursor = body["nextCursor"]
        if cursor is None:
            return seen, pages


def test_cursor_walk_returns_every_post_once_newest_first(
    client: TestClient, published_ids: list[str]
) -> None:
    seen, pages = _walk(client, {"limit": 100})
    assert seen == published_ids
    assert [len(page["posts"]) for page in pages] == [100, 100, 50]
    assert {page["total"] for page in pages} == {COUNT}


@pytest.mark.parametrize(
    "params", [{"limit": 100}, {"limit": 40, "category": "even"}, {"limit": 7, "category": "odd"}]
)
def test_every_page_of_a_long_list_is_one_query(
    client: TestClient, published_ids: list[str], dynamodb: CountingClient, params: dict[str, Any]
) -> None:
    seen, pages = _walk(client, params)
    assert dynamodb.calls == {"query": len(pages)}
    assert len(seen) == (COUNT // 2 if "category" in params else COUNT)


def test_an_offset_page_within_500_items_is_one_query(
    client: TestClient, published_ids: list[str], dynamodb: CountingClient
) -> None:
    body = client.get("/v1/blog/posts", params={"limit": 100, "offset": 150}).json()
    assert [post["id"] for post in body["posts"]] == published_ids[150:]
    assert (body["total"], dynamodb.calls) == (COUNT, {"query": 1})


def test_offset_pages_match_the_cursor_pages(client: TestClient, published_ids: list[str]) -> None:
    seen: list[str] = []
    for offset in range(0, COUNT, 100):
        body = client.get("/v1/blog/posts", params={"limit": 100, "offset": offset}).json()
        assert body["total"] == COUNT
        assert body["offset"] == offset
        seen.extend(post["id"] for post in body["posts"])
    assert seen == published_ids


def test_offset_page_carries_a_cursor_to_continue(
    client: TestClient, published_ids: list[str]
) -> None:
    first = client.get("/v1/blog/posts", params={"limit": 30, "offset": 200}).json()
    rest = client.get("/v1/blog/posts", params={"limit": 30, "cursor": first["nextCursor"]}).json()
    assert [p["id"] for p in first["posts"] + rest["posts"]] == published_ids[200:]
    assert rest["nextCursor"] is None


def test_offset_past_the_end_is_an_empty_page(client: TestClient, published_ids: list[str]) -> None:
    body = client.get("/v1/blog/posts", params={"offset": 400}).json()
    assert (body["posts"], body["total"], body["nextCursor"]) == ([], COUNT, None)


def test_filtered_cursor_walk_fills_pages_and_counts_matches(
    client: TestClient, published_ids: list[str]
) -> None:
    seen, pages = _walk(client, {"limit": 40, "category": "even"})
    assert seen == published_ids[1::2]  # newest (249) is odd
    assert all(len(page["posts"]) == 40 for page in pages[:-1])
    assert {page["total"] for page in pages} == {COUNT // 2}


def test_a_tampered_cursor_is_rejected(client: TestClient, published_ids: list[str]) -> None:
    cursor = client.get("/v1/blog/posts", params={"limit": 10}).json()["nextCursor"]
    pinned, _, token = cursor.partition("~")
    # The last character is the signature's; replace it with a different one (a fixed "xx"
    # suffix left the cursor intact when the signature happened to end in "xx").
    resigned = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")
    for forged in (f"{int(pinned) + 86_400_000}~{token}", resigned, "garbage"):
        response = client.get("/v1/blog/posts", params={"cursor": forged})
        assert response.status_code == 400


def test_a_cursor_of_another_query_is_rejected(
    client: TestClient, published_ids: list[str]
) -> None:
    cursor = client.get("/v1/blog/posts", params={"limit": 10}).json()["nextCursor"]
    response = client.get("/v1/blog/posts", params={"cursor": cursor, "category": "Odd"})
    assert response.status_code == 400


def test_cursor_and_offset_together_are_refused(
    client: TestClient, published_ids: list[str]
) -> None:
    cursor = client.get("/v1/blog/posts", params={"limit": 10}).json()["nextCursor"]
    response = client.get("/v1/blog/posts", params={"cursor": cursor, "offset": 5})
    assert response.status_code == 400
