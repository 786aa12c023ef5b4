"""Offset pages of a filter that drops most of a long list: never an empty page while matches
remain, so a client that advances `offset` by the items returned reaches every match."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from moto import mock_aws
from pydantic import SecretStr

from portfolio_api import aws
from portfolio_api.blog.service import BLOG
from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.content import service as content
from portfolio_api.db import schema
from portfolio_api.db.table import Table
from portfolio_api.main import create_app
from tests.content.conftest import START, post_fields
from tests.content.test_pagination import _Untransacted
from tests.visitors.fakes import CountingClient

COUNT = 400
RARE = 4
"""The oldest posts carry the tag `aws`: deeper than ten Queries of a filtered page reach."""


Seeded = tuple[TestClient, list[str], CountingClient]


@pytest.fixture(scope="module")
def rare() -> Iterator[Seeded]:
    """The app over 400 published posts, one a minute, the 4 oldest tagged `aws`; the ids of
    those 4, newest first. Built once for the module: the tests only read."""
    yield from seeded(tagged_at=range(RARE))


def seeded(*, tagged_at: range) -> Iterator[Seeded]:
    """The app over 400 published posts, one a minute, those at `tagged_at` tagged `aws`; the
    ids of those, newest first, and the counting client of its table."""
    settings = Settings(
        environment="test", dynamodb_table_name="portfolio-rare", cursor_secret=SecretStr("k")
    )
    aws.reset_clients()
    with mock_aws():
        client = aws.dynamodb_client(settings)
        schema.create_table(client, settings.dynamodb_table_name)
        seeding = Table(
            client=_Untransacted(client), name=settings.dynamodb_table_name, cursor_secret=b"k"
        )
        tagged = []
        for i in range(COUNT):
            at = START + timedelta(minutes=i)
            tags = ["aws"] if i in tagged_at else ["python"]
            post = content.create(
                table=seeding, kind=BLOG, fields=post_fields(title=f"Post {i}", tags=tags), now=at
            )
            content.publish(
                table=seeding,
                kind=BLOG,
                item_id=post["id"],
                publish_at=None,
                expected_version=1,
                now=at,
            )
            if i in tagged_at:
                tagged.append(post["id"])
        app = create_app(settings)
        app.state.clock = FixedClock(START + timedelta(days=1))
        counting = CountingClient(client)
        app.state.table = Table(
            client=counting, name=settings.dynamodb_table_name, cursor_secret=b"k"
        )
        with TestClient(app) as test_client:
            yield test_client, tagged[::-1], counting
    aws.reset_clients()


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
