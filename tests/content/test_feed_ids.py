"""The Atom feed's ids are permanent (RFC 4287 4.2.6): an entry's id is a tag URI (RFC 4151) of
the post's id and creation date, so a new slug keeps it and a later post with the same slug
gets another; the feed's own id depends on neither the request's query nor its stage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.feeds import render
from portfolio_api.main import create_app
from tests.conftest import TEST_ORIGIN
from tests.content.conftest import MakeItem

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://jane.example"
Headers = dict[str, str]

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
TAG_URI = re.compile(
    # RFC 4151: "tag:" taggingEntity ":" specific [ "#" fragment ], with an authority that is a
    # DNS name and a date `YYYY[-MM[-DD]]`; `specific` is pchars, "/" and "?".
    rf"tag:{_LABEL}(?:\.{_LABEL})*,\d{{4}}(?:-\d{{2}}(?:-\d{{2}})?)?:"
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*"
)


@pytest.fixture
def site_client(settings: Settings) -> Iterator[TestClient]:
    """The app with SITE_URL set, sharing the table, clock and tokens of `client`."""
    app = create_app(settings.model_copy(update={"site_url": SITE}))
    with TestClient(app) as client:
        yield client


def feed(client: TestClient, path: str = "/v1/blog/feed.xml") -> ElementTree.Element:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own output


def entries(client: TestClient) -> list[tuple[str, str]]:
    """The `(id, link)` of each entry of the feed, newest first."""
    found = []
    for entry in feed(client).iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        assert link is not None
        found.append((str(entry.findtext(f"{ATOM}id")), str(link.get("href"))))
    return found


def test_an_entry_id_is_a_tag_uri_of_the_post_id_and_creation_date(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post(title="Hello there")
    clock.advance(days=3)  # published (and so updated) later: the creation date is the one
    published = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers)
    assert published.status_code == 200, published.text
    assert published.json()["publishAt"][:10] != post["createdAt"][:10]
    [(entry_id, link)] = entries(client)
    host = TEST_ORIGIN.split("//", 1)[1]
    assert entry_id == f"tag:{host},{post['createdAt'][:10]}:blog/{post['id']}"
    assert TAG_URI.fullmatch(entry_id)
    assert link == f"{TEST_ORIGIN}/blog/{post['slug']}"


def test_an_entry_id_survives_a_new_slug_while_its_link_follows_it(
    client: TestClient, site_client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(title="First name", publish=True)
    [(before, old_link)] = entries(site_client)
    response = client.put(
        f"/v1/blog/posts/{post['id']}", json={"slug": "second-name"}, headers=owner_headers
    )
    assert response.status_code == 200, response.text
    [(after, new_link)] = entries(site_client)
    assert after == before
    assert (old_link, new_link) == (f"{SITE}/blog/first-name", f"{SITE}/blog/second-name")


def test_a_deleted_posts_slug_taken_again_gives_another_entry_id(
    client: TestClient, site_client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    first = make_post(title="Same title", publish=True)
    [(first_id, _)] = entries(site_client)
    deleted = client.delete(f"/v1/blog/posts/{first['id']}", headers=owner_headers)
    assert deleted.status_code == 204, deleted.text
    second = make_post(title="Same title", publish=True)
    assert second["slug"] == first["slug"]
    assert second["createdAt"][:10] == first["createdAt"][:10]  # same day: only the id differs
    [(second_id, link)] = entries(site_client)
    assert second_id != first_id
    assert second_id == f"tag:jane.example,{second['createdAt'][:10]}:blog/{second['id']}"
    assert link == f"{SITE}/blog/{first['slug']}"


def test_the_feed_id_depends_on_neither_the_query_nor_the_request(
    site_client: TestClient, make_post: MakeItem
) -> None:
    make_post(publish=True)
    plain = feed(site_client)
    queried = feed(site_client, "/v1/blog/feed.xml?utm_source=reader&page=2")
    assert plain.findtext(f"{ATOM}id") == queried.findtext(f"{ATOM}id") == f"{SITE}/blog"
    ids = [entry.findtext(f"{ATOM}id") for entry in queried.iter(f"{ATOM}entry")]
    assert ids == [entry.findtext(f"{ATOM}id") for entry in plain.iter(f"{ATOM}entry")]


@pytest.mark.parametrize(
    ("site_url", "authority"),
    [
        ("https://jane.example", "jane.example"),
        ("https://Jane.Example:8443/portfolio", "jane.example"),
        # The last fallback, the API's own base URL: the stage is a path, not part of the id.
        (
            "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod",
            "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        ),
        ("http://localhost:8000", "localhost"),
        ("https://bücher.example", "xn--bcher-kva.example"),
        ("http://[::1]:8000", render.NO_DNS_NAME),
        ("http://under_score.example", render.NO_DNS_NAME),
    ],
)
def test_the_tag_authority_is_the_sites_host_as_a_dns_name(site_url: str, authority: str) -> None:
    assert render.tag_authority(site_url) == authority
    post = {"id": "post_0123456789abcdef", "createdAt": "2025-03-01T09:00:00.000Z"}
    entry_id = render.entry_id(post, render.tag_authority(site_url))
    assert entry_id == f"tag:{authority},2025-03-01:blog/post_0123456789abcdef"
    assert TAG_URI.fullmatch(entry_id)


def test_an_entry_keeps_its_first_publication_date_when_published_again(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> None:
    # RFC 4287 4.2.9: `published` is the entry's first availability, as the API's publishedAt.
    post = make_post(publish=True)
    first = post["publishAt"]
    clock.advance(days=2)
    assert client.post(f"/v1/blog/posts/{post['id']}/unpublish", headers=owner_headers).is_success
    clock.advance(days=2)
    again = client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner_headers).json()
    assert again["publishAt"] != first
    assert again["publishedAt"] == first[:10]

    (entry,) = feed(client).iter(f"{ATOM}entry")

    assert entry.findtext(f"{ATOM}published") == first
