"""Long lists for pagination tests: posts seeded through the service layer, fast."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

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
from tests.content.conftest import START
from tests.visitors.fakes import CountingClient

Seeded = tuple[TestClient, list[str], CountingClient]


class _Untransacted:
    """Seeding only: applies each transaction's actions as single requests (moto copies the
    whole table for every transaction, which makes 500 of them take minutes)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def transact_write_items(self, TransactItems: list[dict[str, Any]]) -> None:
        calls = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}
        for action in TransactItems:
            ((kind, request),) = action.items()
            if kind in calls:
                getattr(self._client, calls[kind])(**request)


def published_posts(
    *, table_name: str, count: int, fields_of: Callable[[int], dict[str, Any]]
) -> Iterator[Seeded]:
    """The app over `count` published posts, one a minute, the i-th with `fields_of(i)`; the
    ids in creation order (oldest first), and the counting client of its table."""
    settings = Settings(
        environment="test", dynamodb_table_name=table_name, cursor_secret=SecretStr("k")
    )
    aws.reset_clients()
    with mock_aws():
        client = aws.dynamodb_client(settings)
        schema.create_table(client, table_name)
        seeding = Table(client=_Untransacted(client), name=table_name, cursor_secret=b"k")
        ids = []
        for i in range(count):
            at = START + timedelta(minutes=i)
            post = content.create(table=seeding, kind=BLOG, fields=fields_of(i), now=at)
            content.publish(
                table=seeding,
                kind=BLOG,
                item_id=post["id"],
                publish_at=None,
                expected_version=1,
                now=at,
            )
            ids.append(post["id"])
        app = create_app(settings)
        app.state.clock = FixedClock(START + timedelta(days=1))
        counting = CountingClient(client)
        app.state.table = Table(client=counting, name=table_name, cursor_secret=b"k")
        with TestClient(app) as test_client:
            yield test_client, ids, counting
    aws.reset_clients()
