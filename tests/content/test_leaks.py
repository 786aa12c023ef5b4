"""Drafts and not-yet-due scheduled items never reach anonymous callers, on any route."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from portfolio_api.blog.service import BLOG
from portfolio_api.clock import FixedClock
from portfolio_api.content import repository, service
from portfolio_api.db.table import Table
from tests.content.conftest import START, MakeItem

Headers = dict[str, str]
SECRET = "secret-draft"


@pytest.fixture
def hidden(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> list[dict[str, object]]:
    """One public post, one draft and one scheduled post, the hidden ones in their own
    category and tag."""
    make_post(title="Public", category="Open", tags=["open"], publish=True)
    draft = make_post(title=SECRET, category="Hidden", tags=[SECRET])
    scheduled = make_post(title=f"{SECRET} later", category="Hidden", tags=[SECRET])
    at = (START + timedelta(days=1)).isoformat()
    response = client.post(
        f"/v1/blog/posts/{scheduled['id']}/publish", json={"publishAt": at}, headers=owner_headers
    )
    assert response.json()["scheduled"] is True
    return [draft, scheduled]


def _assert_no_secret(response_text: str) -> None:
    assert SECRET not in response_text
    assert "Hidden" not in response_text


def test_public_list_shows_only_public_posts(client: TestClient, hidden: list[dict]) -> None:
    body = client.get("/v1/blog/posts").json()
    assert [p["title"] for p in body["posts"]] == ["Public"]
    assert body["total"] == 1


def test_public_list_filtered_by_hidden_category_or_tag_is_empty(
    client: TestClient, hidden: list[dict]
) -> None:
    for params in ({"category": "Hidden"}, {"tag": SECRET}):
        body = client.get("/v1/blog/posts", params=params).json()
        assert body == {"posts": [], "total": 0, "limit": 20, "offset": 0, "nextCursor": None}


@pytest.mark.parametrize("status", ["draft", "all"])
def test_public_may_not_ask_for_drafts(client: TestClient, hidden: list[dict], status: str) -> None:
    response = client.get("/v1/blog/posts", params={"status": status})
    assert response.status_code == 403
    _assert_no_secret(response.text)


def test_non_owner_token_may_not_ask_for_drafts(
    client: TestClient, non_owner_headers: Headers, hidden: list[dict]
) -> None:
    response = client.get("/v1/blog/posts", params={"status": "all"}, headers=non_owner_headers)
    assert response.status_code == 403


def test_hidden_posts_are_404_by_id_and_slug_like_unknown_ones(
    client: TestClient, hidden: list[dict]
) -> None:
    unknown = client.get("/v1/blog/posts/post_0000000000000000")
    assert unknown.status_code == 404
    for post in hidden:
        for ref in (post["id"], post["slug"]):
            response = client.get(f"/v1/blog/posts/{ref}")
            assert response.status_code == 404
            # The same answer as for an unknown ref: only the ref the caller sent is echoed.
            assert response.json() == {
                **unknown.json(),
                "message": f"Blog post {ref} not found",
            }


def test_categories_ignore_hidden_posts(client: TestClient, hidden: list[dict]) -> None:
    response = client.get("/v1/blog/categories")
    assert response.json()["counts"] == [{"name": "Open", "count": 1}]
    _assert_no_secret(response.text)


def test_feed_and_sitemap_ignore_hidden_posts(client: TestClient, hidden: list[dict]) -> None:
    for path in ("/v1/blog/feed.xml", "/v1/sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200
        _assert_no_secret(response.text)
        for post in hidden:
            assert str(post["id"]) not in response.text


def test_owner_sees_the_hidden_posts(
    client: TestClient, owner_headers: Headers, hidden: list[dict]
) -> None:
    body = client.get("/v1/blog/posts", params={"status": "all"}, headers=owner_headers).json()
    assert body["total"] == 3
    for post in hidden:
        assert client.get(f"/v1/blog/posts/{post['id']}", headers=owner_headers).status_code == 200


def test_hidden_project_and_certification_are_404_to_the_public(
    client: TestClient, make_project: MakeItem, make_certification: MakeItem
) -> None:
    project = make_project()
    certification = make_certification()
    assert client.get(f"/v1/projects/{project['id']}").status_code == 404
    assert client.get(f"/v1/certifications/{certification['id']}").status_code == 404
    assert client.get("/v1/projects").json()["total"] == 0
    assert client.get("/v1/certifications").json()["certifications"] == []


KEY_ATTRIBUTES = frozenset({"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"})


def test_the_view_of_a_stored_item_drops_every_key_attribute(
    table: Table, make_post: MakeItem
) -> None:
    post = make_post(publish=True)
    stored = repository.get(table=table, kind=BLOG, item_id=post["id"])
    assert stored is not None
    assert stored.keys() >= KEY_ATTRIBUTES
    assert not KEY_ATTRIBUTES & service.view(stored, now=START).keys()


def test_no_public_or_owner_response_carries_a_key(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, make_project: MakeItem
) -> None:
    post = make_post(publish=True)
    project = make_project(publish=True)
    reads = [
        (f"/v1/blog/posts/{post['slug']}", {}),
        (f"/v1/blog/posts/{post['id']}", owner_headers),
        ("/v1/blog/posts", {}),
        (f"/v1/projects/{project['id']}", {}),
        ("/v1/projects", owner_headers),
        ("/v1/sitemap.xml", {}),
    ]
    for path, headers in reads:
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        assert not [name for name in KEY_ATTRIBUTES if f'"{name}"' in response.text]
        assert f"blog#{post['slug']}" not in response.text
        assert f"project#{project['id']}" not in response.text
