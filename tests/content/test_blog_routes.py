"""The contract's Blog Posts operations, through the real app on moto, validated against the
contract's schemas."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from tests.content.conftest import MakeItem, post_fields
from tests.content.contract import assert_matches_response, assert_matches_schema

Headers = dict[str, str]


def test_create_returns_a_draft_with_generated_slug_and_read_time(
    client: TestClient, owner_headers: Headers, clock: FixedClock
) -> None:
    response = client.post("/v1/blog/posts", json=post_fields(), headers=owner_headers)
    assert response.status_code == 201
    post = response.json()
    assert_matches_schema("BlogPost", post)
    assert post["status"] == "draft"
    assert post["slug"] == "building-scalable-apis"
    assert post["readTime"] == "1 min read"
    assert post["publishedAt"] == ""
    assert post["createdAt"] == "2025-03-01T09:00:00.000Z"
    assert re.fullmatch(r'"v1-[0-9a-f]{8}"', response.headers["ETag"])
    assert response.headers["Location"] == f"/v1/blog/posts/{post['id']}"


def test_create_renders_markdown_to_html(make_post: MakeItem) -> None:
    post = make_post(content="# Title\n\nSome *emphasis*.")
    assert post["contentHtml"] == "<h1>Title</h1>\n<p>Some <em>emphasis</em>.</p>\n"


def test_create_normalises_tags_and_category(make_post: MakeItem) -> None:
    post = make_post(category="  Cloud   Native ", tags=[" Python", "python", "AWS ", "  "])
    assert post["category"] == "Cloud Native"
    assert post["tags"] == ["Python", "AWS"]


def test_create_requires_the_owner(
    client: TestClient, non_owner_headers: Headers, clock: FixedClock
) -> None:
    assert client.post("/v1/blog/posts", json=post_fields()).status_code == 401
    forbidden = client.post("/v1/blog/posts", json=post_fields(), headers=non_owner_headers)
    assert forbidden.status_code == 403
    assert_matches_schema("Error", forbidden.json())


def test_create_rejects_an_invalid_body_with_the_error_format(
    client: TestClient, owner_headers: Headers, clock: FixedClock
) -> None:
    response = client.post("/v1/blog/posts", json=post_fields(tags=[]), headers=owner_headers)
    assert response.status_code == 400
    assert_matches_schema("Error", response.json())


def test_a_refused_field_is_named_as_the_contract_names_it(
    client: TestClient, owner_headers: Headers, clock: FixedClock
) -> None:
    fields = {key: value for key, value in post_fields().items() if key != "title"}
    response = client.post("/v1/blog/posts", json=fields, headers=owner_headers)
    assert response.status_code == 400
    assert_matches_response("/blog/posts", "post", 400, response.json())
    details = response.json()["details"]
    assert details["field"] == "title"
    assert details["issue"] == "Field required"
    assert details["fields"] == [
        {"field": "body.title", "message": "Field required", "type": "missing"}
    ]


def test_create_rejects_a_non_http_cover_image(
    client: TestClient, owner_headers: Headers, clock: FixedClock
) -> None:
    body = post_fields(coverImageUrl="javascript:alert(1)")
    assert client.post("/v1/blog/posts", json=body, headers=owner_headers).status_code == 400


def test_get_by_id_and_by_slug(client: TestClient, make_post: MakeItem) -> None:
    post = make_post(publish=True)
    by_id = client.get(f"/v1/blog/posts/{post['id']}")
    by_slug = client.get(f"/v1/blog/posts/{post['slug']}")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.json() == by_slug.json()
    assert_matches_response("/blog/posts/{postId}", "get", 200, by_id.json())


def test_update_changes_only_the_fields_sent(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    response = client.put(
        f"/v1/blog/posts/{post['id']}", json={"title": "New title"}, headers=owner_headers
    )
    assert response.status_code == 200
    updated = response.json()
    assert_matches_schema("BlogPost", updated)
    assert updated["title"] == "New title"
    assert updated["excerpt"] == post["excerpt"]
    assert updated["slug"] == post["slug"]  # URLs stay stable unless the slug is edited
    assert updated["version"] == 2
    assert re.fullmatch(r'"v2-[0-9a-f]{8}"', response.headers["ETag"])


def test_update_can_change_the_slug_and_frees_the_old_one(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(publish=True)
    client.put(f"/v1/blog/posts/{post['id']}", json={"slug": "renamed"}, headers=owner_headers)
    assert client.get("/v1/blog/posts/renamed").json()["id"] == post["id"]
    assert client.get(f"/v1/blog/posts/{post['slug']}").status_code == 404
    assert make_post()["slug"] == post["slug"]


def test_update_refuses_null_for_required_fields(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    response = client.put(
        f"/v1/blog/posts/{post['id']}", json={"title": None}, headers=owner_headers
    )
    assert response.status_code == 400


def test_update_of_an_unknown_post_is_404(
    client: TestClient, owner_headers: Headers, clock: FixedClock
) -> None:
    response = client.put("/v1/blog/posts/post_missing", json={"title": "x"}, headers=owner_headers)
    assert response.status_code == 404
    assert_matches_schema("Error", response.json())


def test_delete_removes_the_post_and_its_slug(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(publish=True)
    assert client.delete(f"/v1/blog/posts/{post['id']}", headers=owner_headers).status_code == 204
    assert client.get(f"/v1/blog/posts/{post['id']}", headers=owner_headers).status_code == 404
    assert make_post()["slug"] == post["slug"]
    assert client.delete(f"/v1/blog/posts/{post['id']}", headers=owner_headers).status_code == 404


def test_publish_sets_published_at_and_republish_keeps_it(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post()
    published = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers)
    assert published.status_code == 200
    assert_matches_response("/blog/posts/{postId}/publish", "post", 200, published.json())
    assert published.json()["status"] == "published"
    assert published.json()["publishedAt"] == "2025-03-01"
    clock.advance(days=3)
    unpublished = client.post(f"/v1/blog/posts/{post['id']}/unpublish", headers=owner_headers)
    assert unpublished.json()["status"] == "draft"
    assert unpublished.json()["publishedAt"] == ""
    again = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers).json()
    assert again["publishedAt"] == "2025-03-01"
    assert again["publishAt"] == "2025-03-04T09:00:00.000Z"


def test_publish_requires_the_owner(
    client: TestClient, non_owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    assert client.post(f"/v1/blog/posts/{post['id']}/publish").status_code == 401
    response = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=non_owner_headers)
    assert response.status_code == 403


def test_list_filters_by_category_and_tag_case_insensitively(
    client: TestClient, make_post: MakeItem
) -> None:
    make_post(title="A", category="Backend", tags=["python"], publish=True)
    make_post(title="B", category="Cloud", tags=["aws", "Python"], publish=True)
    make_post(title="C", category="Cloud", tags=["aws"], publish=True)
    by_category = client.get("/v1/blog/posts", params={"category": "cloud"}).json()
    assert {p["title"] for p in by_category["posts"]} == {"B", "C"}
    assert by_category["total"] == 2
    both = client.get("/v1/blog/posts", params={"category": "Cloud", "tag": "PYTHON"}).json()
    assert [p["title"] for p in both["posts"]] == ["B"]
    assert both["total"] == 1
    assert_matches_response("/blog/posts", "get", 200, both)


def test_list_is_newest_first(client: TestClient, make_post: MakeItem, clock: FixedClock) -> None:
    for title in ("first", "second", "third"):
        make_post(title=title, publish=True)
        clock.advance(hours=1)
    titles = [p["title"] for p in client.get("/v1/blog/posts").json()["posts"]]
    assert titles == ["third", "second", "first"]


def test_owner_lists_drafts_and_all(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    make_post(title="draft")
    make_post(title="live", publish=True)
    drafts = client.get("/v1/blog/posts", params={"status": "draft"}, headers=owner_headers)
    everything = client.get("/v1/blog/posts", params={"status": "all"}, headers=owner_headers)
    assert [p["title"] for p in drafts.json()["posts"]] == ["draft"]
    assert drafts.json()["total"] == 1
    assert {p["title"] for p in everything.json()["posts"]} == {"draft", "live"}
    assert everything.json()["total"] == 2


def test_categories_lists_published_categories_with_counts(
    client: TestClient, make_post: MakeItem
) -> None:
    make_post(title="a", category="Cloud", publish=True)
    make_post(title="b", category="cloud", publish=True)
    make_post(title="c", category="Backend", publish=True)
    make_post(title="d", category="Drafts only")
    body = client.get("/v1/blog/categories").json()
    assert_matches_response("/blog/categories", "get", 200, body)
    assert body["categories"] == ["Backend", "cloud"]
    assert body["counts"] == [{"name": "Backend", "count": 1}, {"name": "cloud", "count": 2}]


def test_seo_fields_round_trip(make_post: MakeItem) -> None:
    post = make_post(
        metaTitle="APIs", metaDescription="About APIs", coverImageUrl="https://img.example/a.png"
    )
    assert (post["metaTitle"], post["metaDescription"], post["coverImageUrl"]) == (
        "APIs",
        "About APIs",
        "https://img.example/a.png",
    )


@pytest.mark.parametrize(
    ("collection", "make"),
    [
        ("blog/posts", "make_post"),
        ("projects", "make_project"),
        ("certifications", "make_certification"),
    ],
)
def test_the_item_as_read_can_be_sent_back_with_changes(
    client: TestClient,
    owner_headers: dict[str, str],
    request: pytest.FixtureRequest,
    collection: str,
    make: str,
) -> None:
    # `{...item, field}`: the item's read-only fields are ignored, unknown ones still refused.
    item = request.getfixturevalue(make)(publish=True)
    read = client.get(f"/v1/{collection}/{item['id']}", headers=owner_headers).json()
    title_field = "title" if collection == "blog/posts" else "name"
    changed = {**read, title_field: "Changed", "status": "draft", "version": 99}
    response = client.put(f"/v1/{collection}/{item['id']}", json=changed, headers=owner_headers)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated[title_field] == "Changed"
    assert (updated["status"], updated["version"]) == ("published", read["version"] + 1)
    typo = client.put(f"/v1/{collection}/{item['id']}", json={"titel": "x"}, headers=owner_headers)
    assert typo.status_code == 400
