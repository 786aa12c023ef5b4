"""A public GET of one item is one DynamoDB request, by id (GetItem) and by slug (a Query of
GSI2, the site index: published posts by slug and projects by id in one partition)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.content.conftest import MakeItem, stored_item
from tests.visitors.fakes import CountingClient

Headers = dict[str, str]


def _calls(
    dynamodb: CountingClient, client: TestClient, path: str, headers: Headers | None = None
) -> int:
    """The status of a GET, after which `dynamodb.calls` holds the requests it made."""
    dynamodb.reset()
    return client.get(path, headers=headers).status_code


def test_a_published_post_by_id_or_by_slug_is_one_request(
    client: TestClient, dynamodb: CountingClient, make_post: MakeItem
) -> None:
    post = make_post(publish=True)
    assert _calls(dynamodb, client, f"/v1/blog/posts/{post['id']}") == 200
    assert dict(dynamodb.calls) == {"get_item": 1}
    assert _calls(dynamodb, client, f"/v1/blog/posts/{post['slug']}") == 200
    assert dict(dynamodb.calls) == {"query": 1}


def _site_keys(table: Table, kind: str, item_id: str) -> dict[str, str]:
    item = stored_item(table, kind, item_id)
    return {name: item[name]["S"] for name in ("GSI2PK", "GSI2SK") if name in item}


def test_only_published_posts_are_in_the_site_index_by_slug(
    table: Table, client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    draft = make_post(title="Draft")
    published = make_post(title="Out", publish=True)
    assert _site_keys(table, "blog", draft["id"]) == {}
    assert _site_keys(table, "blog", published["id"]) == keys.content_site_entry("blog", "out")
    client.post(f"/v1/blog/posts/{published['id']}/unpublish", headers=owner_headers)
    assert _site_keys(table, "blog", published["id"]) == {}
    assert client.get("/v1/blog/posts/out").status_code == 404


def test_published_projects_are_in_the_site_index_by_id_and_certifications_are_not(
    table: Table, make_project: MakeItem, make_certification: MakeItem
) -> None:
    draft = make_project(name="Draft")
    project = make_project(publish=True)
    certification = make_certification(publish=True)
    assert _site_keys(table, "project", draft["id"]) == {}
    assert _site_keys(table, "project", project["id"]) == keys.content_site_entry(
        "project", project["id"]
    )
    assert _site_keys(table, "certification", certification["id"]) == {}


def test_a_new_slug_moves_the_index_entry(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(title="Old name", publish=True)
    response = client.put(
        f"/v1/blog/posts/{post['id']}", json={"slug": "new-name"}, headers=owner_headers
    )
    assert response.status_code == 200
    assert client.get("/v1/blog/posts/new-name").json()["id"] == post["id"]
    assert client.get("/v1/blog/posts/old-name").status_code == 404


def test_the_owner_reads_a_draft_by_slug_consistently(
    client: TestClient, dynamodb: CountingClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(title="Work in progress")
    path = f"/v1/blog/posts/{post['slug']}"
    assert _calls(dynamodb, client, path, headers=owner_headers) == 200
    # the caller's last logout (auth.sessions), the slug's owner, then the item
    assert dict(dynamodb.calls) == {"get_item": 3}
    assert _calls(dynamodb, client, path) == 404


def test_an_unknown_slug_is_a_404_after_the_index_and_the_slug_item(
    client: TestClient, dynamodb: CountingClient
) -> None:
    assert _calls(dynamodb, client, "/v1/blog/posts/no-such-post") == 404
    assert dict(dynamodb.calls) == {"query": 1, "get_item": 1}


@pytest.mark.parametrize(
    "update",
    [
        pytest.param("REMOVE GSI2PK, GSI2SK", id="no-site-keys"),
        pytest.param("SET GSI2PK = :old REMOVE GSI2SK", id="the-slug-index-key"),
    ],
)
def test_a_post_saved_before_the_site_index_is_still_found_by_slug(
    table: Table, client: TestClient, dynamodb: CountingClient, make_post: MakeItem, update: str
) -> None:
    post = make_post(publish=True)
    old = {":old": {"S": f"SLUG#blog#{post['slug']}"}} if ":old" in update else {}
    table.client.update_item(
        TableName=table.name,
        Key={name: {"S": value} for name, value in keys.content_item("blog", post["id"]).items()},
        UpdateExpression=update,
        **({"ExpressionAttributeValues": old} if old else {}),
    )
    assert _calls(dynamodb, client, f"/v1/blog/posts/{post['slug']}") == 200
    assert dict(dynamodb.calls) == {"query": 1, "get_item": 2}
