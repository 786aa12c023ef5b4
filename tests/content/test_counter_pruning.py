"""`reindex` removes what the counter item keeps that no longer says anything (counts back at
0, labels no item has), so retired tags and categories do not pile up towards 400 KB."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from portfolio_api.content import repository
from portfolio_api.content.registry import kind_named
from portfolio_api.content.service import reindex
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.content.conftest import MakeItem

Headers = dict[str, str]


def _counters(table: Table) -> dict[str, Any]:
    return table.get(keys.content_counters("blog"), consistent=True) or {}


def test_retired_tags_and_categories_leave_the_counter_item(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, table: Table
) -> None:
    kept = make_post(category="Cloud", tags=["aws"], publish=True)
    for n in range(3):
        gone = make_post(category=f"Old {n}", tags=[f"retired-{n}", "aws"], publish=True)
        client.delete(f"/v1/blog/posts/{gone['id']}", headers=owner_headers)
    before = _counters(table)
    assert any("retired-2" in name for name in before)

    assert reindex(table=table).stale_counts > 0

    after = _counters(table)
    assert not [name for name in after if "retired" in name or "old%20" in name.lower()]
    assert all(int(value) != 0 for name, value in after.items() if name.startswith("n|"))
    assert after["label|category=cloud"] == "Cloud"
    listing = client.get("/v1/blog/posts").json()
    assert (listing["total"], [p["id"] for p in listing["posts"]]) == (1, [kept["id"]])
    assert client.get("/v1/blog/posts", params={"tag": "aws"}).json()["total"] == 1
    assert client.get("/v1/blog/categories").json()["categories"] == ["Cloud"]
    assert reindex(table=table).stale_counts == 0  # idempotent


def test_a_change_between_the_read_and_the_removal_is_read_again(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, table: Table
) -> None:
    gone = make_post(tags=["retired"], publish=True)
    client.delete(f"/v1/blog/posts/{gone['id']}", headers=owner_headers)

    class ChangesFirst:
        """A client through which the owner re-tags a post just after the counters are read."""

        def __init__(self) -> None:
            self.done = False

        def __getattr__(self, name: str) -> Any:
            method = getattr(table.client, name)
            if name != "get_item" or self.done:
                return method

            def get_item(**request: Any) -> Any:
                answer = method(**request)
                self.done = True
                make_post(tags=["retired"], publish=True)  # "retired" counts again
                return answer

            return get_item

    racing = Table(client=ChangesFirst(), name=table.name, cursor_secret=b"x" * 32)
    assert repository.prune_counters(table=racing, kind=kind_named("blog")) > 0
    after = _counters(table)
    assert int(after["n|published|tags=retired"]) == 1  # not removed on a stale read
    assert after["label|tags=retired"] == "retired"
