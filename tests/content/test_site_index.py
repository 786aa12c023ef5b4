"""The site index (GSI2, partition `SITE`): the sitemap is one Query of it, lists exactly the
public posts and projects in their lists' order, and `reindex` fills it for items saved
before it had its keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from portfolio_api.cli import main
from portfolio_api.clock import FixedClock
from portfolio_api.content.service import reindex
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.conftest import TEST_ORIGIN
from tests.content.conftest import MakeItem, stored_item
from tests.visitors.fakes import CountingClient

Headers = dict[str, str]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _sitemap(client: TestClient) -> list[tuple[str, str]]:
    response = client.get("/v1/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    return [
        (str(url.findtext(f"{SITEMAP}loc")), str(url.findtext(f"{SITEMAP}lastmod")))
        for url in root.iter(f"{SITEMAP}url")
    ]


def _as_listed(client: TestClient) -> list[tuple[str, str]]:
    """What the sitemap showed before the site index: the public lists, newest first, each
    page last modified when updated or, if later, when it went live."""
    posts = client.get("/v1/blog/posts", params={"limit": 100}).json()["posts"]
    projects = client.get("/v1/projects", params={"limit": 100}).json()["projects"]

    def lastmod(page: dict[str, Any]) -> str:
        return str(max(page["updatedAt"], page["publishAt"]))[:10]

    return [(f"{TEST_ORIGIN}/blog/{p['slug']}", lastmod(p)) for p in posts] + [
        (f"{TEST_ORIGIN}/projects/{p['id']}", lastmod(p)) for p in projects
    ]


def _remove_site_keys(table: Table, kind: str, item_id: str) -> None:
    """Make the item look as it was saved before the site index had its keys."""
    table.client.update_item(
        TableName=table.name,
        Key={name: {"S": value} for name, value in keys.content_item(kind, item_id).items()},
        UpdateExpression="REMOVE GSI2PK, GSI2SK",
    )


@pytest.fixture
def portfolio(
    client: TestClient,
    owner_headers: Headers,
    clock: FixedClock,
    make_post: MakeItem,
    make_project: MakeItem,
    make_certification: MakeItem,
) -> dict[str, Any]:
    """Public posts whose slugs do not sort by date, one re-published (first publication
    kept), two projects published at the same instant and a later one; plus a draft post, a
    post scheduled for tomorrow, an unpublished post, a draft project and a certification."""
    zebra = make_post(title="Zebra first", publish=True)
    clock.advance(days=1)
    apple = make_post(title="Apple second", publish=True)
    twins = [make_project(name=f"Twin {i}", publish=True) for i in range(2)]
    clock.advance(days=1)
    mango = make_post(title="Mango third", publish=True)
    later = make_project(name="Later", publish=True)
    client.post(f"/v1/blog/posts/{zebra['id']}/unpublish", headers=owner_headers)
    clock.advance(days=1)
    client.post(f"/v1/blog/posts/{zebra['id']}/publish", headers=owner_headers)
    hidden = [make_post(title="Draft"), make_post(title="Scheduled"), make_post(title="Gone")]
    response = client.post(
        f"/v1/blog/posts/{hidden[1]['id']}/publish",
        json={"publishAt": (clock.now() + timedelta(days=1)).isoformat()},
        headers=owner_headers,
    )
    assert response.json()["scheduled"] is True
    client.post(f"/v1/blog/posts/{hidden[2]['id']}/publish", headers=owner_headers)
    client.post(f"/v1/blog/posts/{hidden[2]['id']}/unpublish", headers=owner_headers)
    hidden.append(make_project(name="Draft project"))
    make_certification(publish=True)
    twins.sort(key=lambda project: project["id"], reverse=True)  # same time: by id, as GSI1
    return {"posts": [mango, apple, zebra], "projects": [later, *twins], "hidden": hidden}


def test_the_sitemap_is_one_query_listing_exactly_the_public_posts_and_projects(
    client: TestClient, dynamodb: CountingClient, portfolio: dict[str, Any]
) -> None:
    dynamodb.reset()
    urls = _sitemap(client)
    assert dict(dynamodb.calls) == {"query": 1}
    assert [loc for loc, _ in urls] == [
        *(f"{TEST_ORIGIN}/blog/{post['slug']}" for post in portfolio["posts"]),
        *(f"{TEST_ORIGIN}/projects/{project['id']}" for project in portfolio["projects"]),
    ]
    assert urls == _as_listed(client)
    assert urls[2] == (f"{TEST_ORIGIN}/blog/zebra-first", "2025-03-04")  # re-published


def test_a_scheduled_post_joins_the_sitemap_when_it_is_due(
    client: TestClient, dynamodb: CountingClient, clock: FixedClock, portfolio: dict[str, Any]
) -> None:
    scheduled = f"{TEST_ORIGIN}/blog/{portfolio['hidden'][1]['slug']}"
    assert scheduled not in dict(_sitemap(client))
    clock.advance(days=1)
    dynamodb.reset()
    urls = _sitemap(client)
    assert dict(dynamodb.calls) == {"query": 1}
    assert scheduled in dict(urls)
    assert urls == _as_listed(client)


def test_past_one_megabyte_of_index_the_sitemap_reads_one_query_per_megabyte(
    client: TestClient, table: Table, dynamodb: CountingClient, make_post: MakeItem
) -> None:
    posts = [make_post(title=f"Heavy {i}", publish=True) for i in range(4)]
    for post in posts:  # ~300 KB each, as DynamoDB bills them: 1.2 MB of index in all
        table.client.update_item(
            TableName=table.name,
            Key={k: {"S": v} for k, v in keys.content_item("blog", post["id"]).items()},
            UpdateExpression="SET padding = :p",
            ExpressionAttributeValues={":p": {"S": "x" * 300_000}},
        )
    dynamodb.reset()
    urls = _sitemap(client)
    assert dict(dynamodb.calls) == {"query": 2}
    assert sorted(loc for loc, _ in urls) == sorted(
        f"{TEST_ORIGIN}/blog/{post['slug']}" for post in posts
    )


def test_reindex_adds_items_saved_without_site_keys_back_to_the_sitemap(
    client: TestClient, table: Table, portfolio: dict[str, Any]
) -> None:
    before = _sitemap(client)
    apple, project = portfolio["posts"][1], portfolio["projects"][0]
    _remove_site_keys(table, "blog", apple["id"])
    _remove_site_keys(table, "project", project["id"])
    draft = portfolio["hidden"][0]
    stored = [stored_item(table, "blog", apple["id"]), stored_item(table, "blog", draft["id"])]
    assert len(_sitemap(client)) == len(before) - 2

    assert reindex(table=table).site_pages == 2
    assert _sitemap(client) == before
    # Only the keys were added: no new version, no new lastmod, drafts untouched.
    assert stored_item(table, "blog", apple["id"]) == {
        **stored[0],
        **{
            name: {"S": value}
            for name, value in keys.content_site_entry("blog", "apple-second").items()
        },
    }
    assert stored_item(table, "blog", draft["id"]) == stored[1]
    assert reindex(table=table).site_pages == 0


@pytest.mark.parametrize("by_name", [False, True], ids=["environment", "--table"])
def test_the_reindex_command_fills_the_table(
    client: TestClient,
    table: Table,
    make_post: MakeItem,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    by_name: bool,
) -> None:
    post = make_post(publish=True)
    _remove_site_keys(table, "blog", post["id"])
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", "some-other-table" if by_name else table.name)
    assert main(["reindex", "--table", table.name] if by_name else ["reindex"]) == 0
    assert capsys.readouterr().out == (
        "reindexed: 1 published items added to the site index, "
        "0 counter items put at the head of their list, "
        "0 view counters moved onto their items, "
        # The draft counts publishing left at 0: n|draft and 5 of its facets and combinations.
        "6 stale counter attributes removed, 0 counter attributes recounted\n"
    )
    assert [loc for loc, _ in _sitemap(client)] == [f"{TEST_ORIGIN}/blog/{post['slug']}"]
