"""ETags and Cache-Control for the public site; sizes bounded below DynamoDB's item limit."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from xml.etree import ElementTree

from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from tests.content.conftest import START, MakeItem, post_fields

Headers = dict[str, str]


def test_public_get_is_cacheable_and_revalidates_with_304(
    client: TestClient, make_post: MakeItem
) -> None:
    post = make_post(publish=True)
    first = client.get(f"/v1/blog/posts/{post['id']}")
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"v2-[0-9a-f]{8}"', etag)
    assert "public" in first.headers["Cache-Control"]
    assert "stale-while-revalidate" in first.headers["Cache-Control"]
    again = client.get(f"/v1/blog/posts/{post['id']}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_another_post_later_at_the_same_slug_never_matches_the_old_etag(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    first = make_post(title="Same title", publish=True)
    cached = client.get("/v1/blog/posts/same-title")
    assert cached.json()["id"] == first["id"]
    client.delete(f"/v1/blog/posts/{first['id']}", headers=owner_headers)
    second = make_post(title="Same title", publish=True)
    assert (second["slug"], second["version"]) == (first["slug"], first["version"])
    again = client.get(
        "/v1/blog/posts/same-title", headers={"If-None-Match": cached.headers["ETag"]}
    )
    assert again.status_code == 200
    assert again.json()["id"] == second["id"]


def test_a_scheduled_post_gone_live_never_matches_its_scheduled_etag(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post()
    at = (START + timedelta(hours=1)).isoformat()
    client.post(
        f"/v1/blog/posts/{post['id']}/publish", json={"publishAt": at}, headers=owner_headers
    )
    scheduled = client.get(f"/v1/blog/posts/{post['id']}", headers=owner_headers)
    assert scheduled.json()["scheduled"] is True
    clock.advance(hours=2)
    live = client.get(
        f"/v1/blog/posts/{post['id']}",
        headers={**owner_headers, "If-None-Match": scheduled.headers["ETag"]},
    )
    assert live.status_code == 200
    assert live.json()["scheduled"] is False
    assert live.json()["version"] == scheduled.json()["version"]


def test_public_list_revalidates_until_it_changes(client: TestClient, make_post: MakeItem) -> None:
    make_post(title="one", publish=True)
    etag = client.get("/v1/blog/posts").headers["ETag"]
    assert client.get("/v1/blog/posts", headers={"If-None-Match": etag}).status_code == 304
    make_post(title="two", publish=True)
    assert client.get("/v1/blog/posts", headers={"If-None-Match": etag}).status_code == 200


def test_a_public_list_with_a_next_page_revalidates_while_the_clock_moves(
    client: TestClient, make_post: MakeItem, clock: FixedClock
) -> None:
    for title in ("one", "two", "three"):
        make_post(title=title, publish=True)
    first = client.get("/v1/blog/posts", params={"limit": 2})
    assert first.json()["nextCursor"]
    clock.advance(seconds=5)  # the cursor pins each request's moment
    again = client.get("/v1/blog/posts", params={"limit": 2})
    assert again.headers["ETag"] == first.headers["ETag"]
    headers = {"If-None-Match": first.headers["ETag"]}
    clock.advance(seconds=5)
    assert client.get("/v1/blog/posts", params={"limit": 2}, headers=headers).status_code == 304
    make_post(title="four", publish=True)
    changed = client.get("/v1/blog/posts", params={"limit": 2}, headers=headers)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_a_list_is_compact_utf8_json_whose_etag_is_the_digest_of_those_bytes(
    client: TestClient, make_post: MakeItem
) -> None:
    make_post(title="Crème brûlée \u2013 \u201cquotes\u201d \u2713", publish=True)
    response = client.get("/v1/blog/posts")
    assert response.headers["content-type"] == "application/json"
    compact = json.dumps(response.json(), ensure_ascii=False, separators=(",", ":"))
    assert response.content == compact.encode()
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    assert response.headers["ETag"] == f'"{digest}"'


def test_owner_reads_are_never_shared_cached(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    response = client.get(f"/v1/blog/posts/{post['id']}", headers=owner_headers)
    assert response.headers["Cache-Control"].startswith("private")


def test_malformed_if_match_is_412(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    response = client.put(
        f"/v1/blog/posts/{post['id']}",
        json={"title": "x"},
        headers={**owner_headers, "If-Match": "v1"},
    )
    assert response.status_code == 412


def test_content_over_the_field_limit_is_a_clear_400(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    body = post_fields(content="x" * 100_001)
    response = client.post("/v1/blog/posts", json=body, headers=owner_headers)
    assert response.status_code in (400, 413)
    assert response.json()["statusCode"] == response.status_code


def test_content_that_would_not_fit_one_item_is_413(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    # 90,000 four-byte characters: within the character limit, but with its HTML over 400 KB.
    body = post_fields(content="😀" * 90_000)
    response = client.post("/v1/blog/posts", json=body, headers=owner_headers)
    assert response.status_code == 413
    assert "400 KB" in response.json()["message"]


def test_feed_is_valid_atom_with_the_published_posts(
    client: TestClient, make_post: MakeItem
) -> None:
    make_post(title="Hello & <welcome>", publish=True)
    response = client.get("/v1/blog/feed.xml")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert "public" in response.headers["Cache-Control"]
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"
    titles = [entry.findtext(f"{atom}title") for entry in root.iter(f"{atom}entry")]
    assert titles == ["Hello & <welcome>"]
    etag = response.headers["ETag"]
    assert client.get("/v1/blog/feed.xml", headers={"If-None-Match": etag}).status_code == 304


def test_sitemap_lists_published_posts_and_projects(
    client: TestClient, make_post: MakeItem, make_project: MakeItem
) -> None:
    post = make_post(publish=True)
    project = make_project(publish=True)
    make_project(name="draft")
    root = ElementTree.fromstring(client.get("/v1/sitemap.xml").content)  # noqa: S314
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [url.findtext(f"{ns}loc") for url in root.iter(f"{ns}url")]
    assert locations == [
        f"https://portfolio.example/blog/{post['slug']}",
        f"https://portfolio.example/projects/{project['id']}",
    ]


def test_a_page_of_long_posts_stops_short_of_lambdas_response_limit(
    client: TestClient, make_post: MakeItem
) -> None:
    # Each post carries ~190,000 characters (its Markdown and its HTML): 100 of them would be a
    # ~19 MB page; Lambda refuses responses over 6 MB.
    paragraph = "Serverless \u201ccold starts\u201d, measured & explained. " * 30 + "\n\n"
    ids = {
        make_post(title=f"Long {n}", content=paragraph * 60, publish=True)["id"] for n in range(8)
    }
    seen: list[str] = []
    pages, cursor = 0, None
    while True:
        response = client.get(
            "/v1/blog/posts", params={"limit": 100, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200
        # The runtime's envelope writes a character in at most 6 bytes (\uXXXX escapes).
        assert len(response.text) * 6 < 6 * 1024 * 1024
        body = response.json()
        assert body["total"] == 8
        seen += [post["id"] for post in body["posts"]]
        pages += 1
        cursor = body.get("nextCursor")
        if not cursor:
            break
    assert pages > 1
    assert sorted(seen) == sorted(ids)
