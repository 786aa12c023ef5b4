"""Scheduled publishing: public from `publishAt` on, with no background job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.content.conftest import START, MakeItem

Headers = dict[str, str]
TOMORROW = START + timedelta(days=1)


def _schedule(client: TestClient, headers: Headers, post_id: str, at: str) -> dict[str, object]:
    response = client.post(
        f"/v1/blog/posts/{post_id}/publish", json={"publishAt": at}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_scheduled_post_is_shown_to_the_owner_as_scheduled(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    scheduled = _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    assert scheduled["status"] == "published"
    assert scheduled["scheduled"] is True
    assert scheduled["publishAt"] == "2025-03-02T09:00:00.000Z"


def test_scheduled_post_becomes_public_when_its_time_comes(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post()
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    assert client.get(f"/v1/blog/posts/{post['id']}").status_code == 404
    assert client.get("/v1/blog/posts").json()["total"] == 0
    clock.advance(days=1)
    assert client.get(f"/v1/blog/posts/{post['id']}").status_code == 200
    listing = client.get("/v1/blog/posts").json()
    assert [p["id"] for p in listing["posts"]] == [post["id"]]
    assert listing["total"] == 1
    assert listing["posts"][0]["scheduled"] is False


def test_scheduled_category_counts_only_once_due(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post(category="Later")
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    assert client.get("/v1/blog/categories").json()["categories"] == []
    clock.advance(days=2)
    assert client.get("/v1/blog/categories").json()["categories"] == ["Later"]


def test_rescheduling_moves_the_publication_marker(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, table: Table
) -> None:
    post = make_post()
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    later = TOMORROW + timedelta(days=6)
    _schedule(client, owner_headers, post["id"], later.isoformat())
    marker = table.get(keys.content_publication("blog", post["id"]))
    assert marker is not None
    assert marker["publishAt"] == "2025-03-08T09:00:00.000Z"


def test_publishing_a_scheduled_post_without_a_date_makes_it_public_now(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, table: Table
) -> None:
    post = make_post()
    scheduled = _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    response = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers)
    assert response.status_code == 200
    live = response.json()
    assert (live["scheduled"], live["publishAt"]) == (False, "2025-03-01T09:00:00.000Z")
    assert live["version"] == scheduled["version"] + 1
    assert client.get(f"/v1/blog/posts/{post['id']}").status_code == 200
    assert client.get("/v1/blog/posts").json()["total"] == 1
    marker = table.get(keys.content_publication("blog", post["id"]))
    assert marker is not None
    assert marker["publishAt"] == live["publishAt"]


def test_publishing_a_live_post_again_changes_nothing(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post(publish=True)
    clock.advance(days=1)
    again = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers).json()
    assert (again["version"], again["publishAt"]) == (post["version"], post["publishAt"])


def test_unpublish_cancels_a_schedule_and_clears_the_marker(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, table: Table, clock: FixedClock
) -> None:
    post = make_post()
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    client.post(f"/v1/blog/posts/{post['id']}/unpublish", headers=owner_headers)
    marker_key = keys.content_publication("blog", post["id"])
    assert table.get(marker_key) == marker_key  # no publishAt: public nowhere (views kept)
    clock.advance(days=2)
    assert client.get(f"/v1/blog/posts/{post['id']}").status_code == 404


def test_publish_writes_and_delete_removes_the_marker(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, table: Table
) -> None:
    post = make_post(publish=True)
    marker = table.get(keys.content_publication("blog", post["id"]))
    assert marker is not None
    assert marker["publishAt"] == post["publishAt"]
    client.delete(f"/v1/blog/posts/{post['id']}", headers=owner_headers)
    assert table.get(keys.content_publication("blog", post["id"])) is None


def test_publish_at_needs_a_timezone(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    response = client.post(
        f"/v1/blog/posts/{post['id']}/publish",
        json={"publishAt": "2025-03-02T09:00:00"},
        headers=owner_headers,
    )
    assert response.status_code == 400


def _feed_ids(client: TestClient) -> list[str]:
    from tests.content.test_feed_ids import entries

    return [entry_id.rsplit("/", 1)[-1] for entry_id, _ in entries(client)]


def test_a_schedule_cancelled_before_it_came_due_sets_no_first_publication_date(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    a = make_post(title="A")
    _schedule(client, owner_headers, a["id"], TOMORROW.isoformat())  # for 03-02
    client.post(f"/v1/blog/posts/{a['id']}/unpublish", headers=owner_headers)  # on 03-01
    clock.advance(days=5)
    b = make_post(title="B", publish=True)  # on 03-06
    clock.advance(days=5)
    published = client.post(f"/v1/blog/posts/{a['id']}/publish", headers=owner_headers).json()
    assert published["publishedAt"] == "2025-03-11"  # never public before 03-11
    assert client.get(f"/v1/blog/posts/{a['id']}").json()["publishedAt"] == "2025-03-11"
    listing = client.get("/v1/blog/posts").json()
    assert [post["id"] for post in listing["posts"]] == [a["id"], b["id"]]
    assert _feed_ids(client) == [a["id"], b["id"]]


def test_rescheduling_before_the_first_date_came_due_moves_it(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post()
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())  # for 03-02
    later = START + timedelta(days=4)
    _schedule(client, owner_headers, post["id"], later.isoformat())  # on 03-01, for 03-05
    client.post(f"/v1/blog/posts/{post['id']}/unpublish", headers=owner_headers)
    _schedule(client, owner_headers, post["id"], later.isoformat())
    clock.advance(days=5)
    assert client.get(f"/v1/blog/posts/{post['id']}").json()["publishedAt"] == "2025-03-05"


def test_republishing_a_post_that_was_public_keeps_its_first_date(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post()
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())  # for 03-02
    clock.advance(days=2)  # public since 03-02
    client.post(f"/v1/blog/posts/{post['id']}/unpublish", headers=owner_headers)
    clock.advance(days=5)
    again = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers).json()
    assert again["publishedAt"] == "2025-03-02"


def test_a_cancelled_schedule_kept_by_an_earlier_release_does_not_count(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock, table: Table
) -> None:
    post = make_post()
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    client.post(f"/v1/blog/posts/{post['id']}/unpublish", headers=owner_headers)
    key = {name: {"S": value} for name, value in keys.content_item("blog", post["id"]).items()}
    table.client.update_item(  # as an earlier release left it: the date kept on the draft
        TableName=table.name,
        Key=key,
        UpdateExpression="SET firstPublishedAt = :first",
        ExpressionAttributeValues={":first": {"S": "2025-03-02T09:00:00.000Z"}},
    )
    clock.advance(days=10)
    again = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers).json()
    assert again["publishedAt"] == "2025-03-11"


@pytest.mark.parametrize("at", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_publish_at_out_of_the_utc_range_is_a_400_naming_the_field(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, at: str
) -> None:
    post = make_post()
    response = client.post(
        f"/v1/blog/posts/{post['id']}/publish", json={"publishAt": at}, headers=owner_headers
    )
    assert response.status_code == 400, response.text
    fields = response.json()["details"]["fields"]
    assert [field["field"] for field in fields] == ["body.publishAt"]
    unchanged = client.get(f"/v1/blog/posts/{post['id']}", headers=owner_headers).json()
    assert unchanged["status"] == "draft"


def test_publish_at_at_the_edges_of_the_utc_range_is_accepted(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    scheduled = _schedule(client, owner_headers, post["id"], "9999-12-31T23:00:00+05:00")
    assert scheduled["publishAt"] == "9999-12-31T18:00:00.000Z"


ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_a_scheduled_post_gone_live_updates_the_feed_and_the_sitemap_when_it_goes_live(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    from xml.etree import ElementTree

    make_post(title="Earlier", publish=True)  # public since 03-01 09:00
    post = make_post(title="Later")
    _schedule(client, owner_headers, post["id"], (START + timedelta(days=2)).isoformat())
    clock.advance(days=3)

    feed = ElementTree.fromstring(client.get("/v1/blog/feed.xml").content)  # noqa: S314
    entry = feed.findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == "Later"
    assert entry.findtext(f"{ATOM}published") == "2025-03-03T09:00:00.000Z"
    assert entry.findtext(f"{ATOM}updated") == "2025-03-03T09:00:00.000Z"
    assert feed.findtext(f"{ATOM}updated") == "2025-03-03T09:00:00.000Z"

    sitemap = ElementTree.fromstring(client.get("/v1/sitemap.xml").content)  # noqa: S314
    lastmods = {
        str(url.findtext(f"{SITEMAP}loc")).rsplit("/", 1)[-1]: url.findtext(f"{SITEMAP}lastmod")
        for url in sitemap.findall(f"{SITEMAP}url")
    }
    assert lastmods[post["slug"]] == "2025-03-03"


def test_a_post_edited_after_it_went_live_is_updated_when_edited(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    from xml.etree import ElementTree

    post = make_post(title="Later")
    _schedule(client, owner_headers, post["id"], TOMORROW.isoformat())
    clock.advance(days=3)
    edited = client.put(
        f"/v1/blog/posts/{post['id']}", json={"excerpt": "Edited"}, headers=owner_headers
    )
    assert edited.status_code == 200, edited.text
    feed = ElementTree.fromstring(client.get("/v1/blog/feed.xml").content)  # noqa: S314
    assert feed.findtext(f"{ATOM}entry/{ATOM}updated") == "2025-03-04T09:00:00.000Z"
    assert feed.findtext(f"{ATOM}updated") == "2025-03-04T09:00:00.000Z"


def test_a_cancelled_schedule_leaves_no_publication_date_even_after_an_edit(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    # The unpublish drops the date itself; publish's fallback for items saved by earlier
    # releases (a first date later than the last update) no longer applies after an edit.
    a = make_post(title="A")
    _schedule(client, owner_headers, a["id"], TOMORROW.isoformat())  # for 03-02
    client.post(f"/v1/blog/posts/{a['id']}/unpublish", headers=owner_headers)  # on 03-01
    clock.advance(days=5)
    edited = client.put(f"/v1/blog/posts/{a['id']}", json={"excerpt": "e"}, headers=owner_headers)
    assert edited.status_code == 200, edited.text
    clock.advance(days=5)
    published = client.post(f"/v1/blog/posts/{a['id']}/publish", headers=owner_headers).json()
    assert published["publishedAt"] == "2025-03-11"  # never public on 03-02
