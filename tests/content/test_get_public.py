"""`content.service.get_public`: the read other features (analytics) rely on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portfolio_api.blog.service import BLOG
from portfolio_api.content import service as content
from portfolio_api.db.table import Table
from portfolio_api.errors import NotFound
from tests.content.conftest import START, post_fields


def test_get_public_returns_a_published_item(table: Table) -> None:
    post = content.create(table=table, kind=BLOG, fields=post_fields(), now=START)
    content.publish(
        table=table, kind=BLOG, item_id=post["id"], publish_at=None, expected_version=1, now=START
    )
    found = content.get_public(table=table, kind="blog", item_id=post["id"], now=START)
    assert found["id"] == post["id"]


def test_get_public_refuses_drafts_scheduled_items_and_unknown_kinds(table: Table) -> None:
    draft = content.create(table=table, kind=BLOG, fields=post_fields(), now=START)
    later = content.create(table=table, kind=BLOG, fields=post_fields(), now=START)
    content.publish(
        table=table,
        kind=BLOG,
        item_id=later["id"],
        publish_at=START + timedelta(hours=1),
        expected_version=1,
        now=START,
    )
    for kind, item_id in [("blog", draft["id"]), ("blog", later["id"]), ("video", later["id"])]:
        with pytest.raises(NotFound):
            content.get_public(table=table, kind=kind, item_id=item_id, now=START)
    due = START + timedelta(hours=1)
    assert content.get_public(table=table, kind="blog", item_id=later["id"], now=due)
