"""End to end with the content feature: views follow a blog post's real publication state."""

from __future__ import annotations

from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from tests.content.conftest import post_fields
from tests.visitors.conftest import browser


def test_a_post_created_and_published_through_the_api_can_be_viewed(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    created = client.post("/v1/blog/posts", json=post_fields(), headers=owner_headers)
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    view = {"contentId": post_id, "contentType": "blog"}

    draft = client.post("/v1/analytics/track", json=view, headers=browser())
    assert draft.status_code == 404

    published = client.post(f"/v1/blog/posts/{post_id}/publish", headers=owner_headers)
    assert published.status_code == 200, published.text
    tracked = client.post("/v1/analytics/track", json=view, headers=browser())
    assert tracked.json() == {"views": 1, "tracked": True}
    assert client.get(f"/v1/analytics/views/blog/{post_id}").json()["views"] == 1

    unpublished = client.post(f"/v1/blog/posts/{post_id}/unpublish", headers=owner_headers)
    assert unpublished.status_code == 200, unpublished.text
    assert client.get(f"/v1/analytics/views/blog/{post_id}").status_code == 404
