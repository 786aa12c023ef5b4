"""Views live on an item's publication marker: they survive unpublishing and go with the item;
`reindex` moves the counters of earlier releases onto the markers, once."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from portfolio_api.analytics import repository
from portfolio_api.content.service import reindex
from portfolio_api.db import keys
from portfolio_api.db.table import Expression, Table
from tests.content.conftest import MakeItem

Headers = dict[str, str]


def _view(client: TestClient, post_id: str, agent: str) -> httpx.Response:
    body = {"contentId": post_id, "contentType": "blog"}
    return client.post("/v1/analytics/track", json=body, headers={"User-Agent": agent})


def _views(client: TestClient, post_id: str) -> httpx.Response:
    return client.get(f"/v1/analytics/views/blog/{post_id}")


def test_views_survive_unpublishing_and_publishing_again(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(publish=True)
    assert _view(client, post["id"], "Firefox/1").json() == {"views": 1, "tracked": True}
    assert _view(client, post["id"], "Firefox/2").json() == {"views": 2, "tracked": True}

    client.post(f"/v1/blog/posts/{post['id']}/unpublish", headers=owner_headers)
    assert _views(client, post["id"]).status_code == 404
    assert _view(client, post["id"], "Firefox/3").status_code == 404  # not counted
    stats = client.get("/v1/analytics/views/blog", headers=owner_headers).json()
    assert stats["stats"] == {post["id"]: 2}

    client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers)
    assert _views(client, post["id"]).json()["views"] == 2
    assert _view(client, post["id"], "Firefox/3").json() == {"views": 3, "tracked": True}


def test_deleting_an_item_deletes_its_views(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, table: Table
) -> None:
    kept, deleted = make_post(publish=True), make_post(publish=True)
    for post in (kept, deleted):
        assert _view(client, post["id"], "Firefox/1").json()["tracked"] is True
    assert (
        client.delete(f"/v1/blog/posts/{deleted['id']}", headers=owner_headers).status_code == 204
    )

    assert table.get(keys.content_publication("blog", deleted["id"])) is None
    stats = client.get("/v1/analytics/views/blog", headers=owner_headers).json()
    assert stats["stats"] == {kept["id"]: 1}
    assert client.get("/v1/analytics/total-views", headers=owner_headers).json()["totalViews"] == 1


def _put_earlier_counter(table: Table, item_id: str, views: int) -> None:
    table.put({**keys.content_views("blog", item_id), "views": views, "contentId": item_id})


def test_reindex_moves_earlier_view_counters_onto_the_markers_once(
    client: TestClient, make_post: MakeItem, table: Table
) -> None:
    post = make_post(publish=True)
    assert _view(client, post["id"], "Firefox/1").json()["views"] == 1  # counted by this release
    _put_earlier_counter(table, post["id"], 40)
    _put_earlier_counter(table, "post_deleted_long_ago", 3)  # earlier releases kept these

    assert reindex(table=table).view_counters == 1
    assert _views(client, post["id"]).json()["views"] == 41
    assert table.get(keys.content_views("blog", post["id"])) is None
    # A deleted item's views go with it: no marker brings it back into the owner's stats.
    assert table.get(keys.content_views("blog", "post_deleted_long_ago")) is None
    assert table.get(keys.content_publication("blog", "post_deleted_long_ago")) is None

    assert reindex(table=table).view_counters == 0  # idempotent
    assert _views(client, post["id"]).json()["views"] == 41


class _EarlierReleaseCountsMeanwhile:
    """A DynamoDB client through which an earlier release's Lambda counts one more view on
    the old counter just before the first move commits."""

    def __init__(self, table: Table, item_id: str) -> None:
        self._client = table.client
        self._table = table
        self._item_id = item_id
        self.raced = False

    def __getattr__(self, name: str) -> Any:
        forward = getattr(self._client, name)
        if name != "transact_write_items" or self.raced:
            return forward

        def transact(**request: Any) -> Any:
            self.raced = True
            self._table.update(
                keys.content_views("blog", self._item_id),
                update="ADD #views :one",
                expr=Expression(names={"#views": "views"}, values={":one": 1}),
                return_values="NONE",
            )
            return forward(**request)

        return transact


def test_a_view_counted_by_the_earlier_release_during_the_move_is_moved_by_the_next_run(
    client: TestClient, make_post: MakeItem, table: Table
) -> None:
    post = make_post(publish=True)
    _put_earlier_counter(table, post["id"], 10)
    racing = Table(
        client=_EarlierReleaseCountsMeanwhile(table, post["id"]),
        name=table.name,
        cursor_secret=b"x" * 32,
    )
    assert repository.fold_earlier_views(table=racing, kind="blog") == 0  # left for next run
    assert _views(client, post["id"]).json()["views"] == 0  # nothing half-moved
    assert repository.fold_earlier_views(table=table, kind="blog") == 1
    assert _views(client, post["id"]).json()["views"] == 11
