"""Offset pages of a filter that drops most of a long list: never an empty page while matches
remain, so a client that advances `offset` by the items returned reaches every match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.content.conftest import post_fields
from tests.content.seeding import Seeded, published_posts

COUNT = 400
RARE = 4
"""The oldest posts carry the tag `aws`: deeper than ten Queries of a filtered page reach."""


@pytest.fixture(scope="module")
def rare() -> Iterator[Seeded]:
    """The app over 400 published posts, one a minute, the 4 oldest tagged `aws`; the ids of
    those 4, newest first. Built once for the module: the tests only read."""
    yield from seeded(tagged_at=range(RARE))


def seeded(*, tagged_at: range) -> Iterator[Seeded]:
    """The app over 400 published posts, one a minute, those at `tagged_at` tagged `aws`; the
    ids of those, newest first, and the counting client of its table."""
    for client, ids, counting in published_posts(
        table_name="portfolio-rare",
        count=COUNT,
        fields_of=lambda i: post_fields(
            title=f"Post {i}", tags=["aws"] if i in tagged_at else ["python"]
        ),
    ):
        yield client, [ids[i] for i in tagged_at][::-1], counting


def page(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/blog/posts", params={"tag": "aws", **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_first_offset_page_of_a_rare_filter_holds_its_matches(
    rare: Seeded,
) -> None:
    client, tagged, _ = rare
    body = page(client, limit=7, offset=0)
    assert [post["id"] for post in body["posts"]] == tagged
    assert body["total"] == RARE


def test_an_offset_walk_advancing_by_the_items_returned_reaches_every_match(
    rare: Seeded,
) -> None:
    client, tagged, _ = rare
    seen: list[str] = []
    while True:
        body = page(client, limit=3, offset=len(seen))
        seen += [post["id"] for post in body["posts"]]
        if not body["posts"]:
            break
        assert len(seen) <= RARE
    assert seen == tagged


def test_an_offset_page_reads_a_sparse_list_in_growing_queries(
    rare: Seeded,
) -> None:
    client, _, dynamodb = rare
    dynamodb.reset()
    page(client, limit=7)
    # Limits of 17, 34, 56, 112, 224 items: the whole list in 5 Queries, not 15 of 27 items.
    assert dynamodb.calls["query"] == 5
