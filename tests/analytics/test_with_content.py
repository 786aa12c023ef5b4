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


def test_views_of_a_type_list_every_published_or_scheduled_post_and_unpublished_viewed_ones(
    client: TestClient, clock: FixedClock, owner_headers: dict[str, str]
) -> None:
    def create() -> str:
        created = client.post("/v1/blog/posts", json=post_fields(), headers=owner_headers)
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    def publish(post_id: str, **body: str) -> None:
        response = client.post(
            f"/v1/blog/posts/{post_id}/publish", json=body or None, headers=owner_headers
        )
        assert response.status_code == 200, response.text

    live, scheduled, _draft, gone, withdrawn = (create() for _ in range(5))
    publish(live)
    publish(scheduled, publishAt="2099-01-01T00:00:00Z")
    publish(gone)
    publish(withdrawn)
    client.post(f"/v1/blog/posts/{gone}/unpublish", headers=owner_headers)  # never viewed
    view = {"contentId": withdrawn, "contentType": "blog"}
    assert client.post("/v1/analytics/track", json=view, headers=browser()).status_code == 200
    client.post(f"/v1/blog/posts/{withdrawn}/unpublish", headers=owner_headers)

    response = client.get("/v1/analytics/views/blog", headers=owner_headers)
    assert response.status_code == 200
    assert response.json()["stats"] == {live: 0, scheduled: 0, withdrawn: 1}
    assert client.get(f"/v1/analytics/views/blog/{live}").json()["views"] == 0
    top = client.get("/v1/analytics/top-content", headers=owner_headers).json()
    assert top["blogs"] == [{"contentId": withdrawn, "views": 1}]  # the viewed ones only
    total = client.get("/v1/analytics/total-views", headers=owner_headers).json()
    assert total == {"totalViews": 1}
