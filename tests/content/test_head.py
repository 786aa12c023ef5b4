"""HEAD on the public GET routes: the GET's status and headers, and no body."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from tests.content.conftest import MakeItem


@pytest.mark.parametrize(
    "path", ["/health", "/v1/visitors/badge.svg", "/v1/blog/feed.xml", "/v1/sitemap.xml", "/docs"]
)
def test_head_answers_like_get_without_the_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == head.status_code == 200
    assert get.content
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_head_of_a_post_revalidates_with_its_etag(client: TestClient, make_post: MakeItem) -> None:
    post = make_post(publish=True)
    head = client.head(f"/v1/blog/posts/{post['id']}")
    assert (head.status_code, head.content) == (200, b"")
    etag = head.headers["ETag"]
    assert etag == client.get(f"/v1/blog/posts/{post['id']}").headers["ETag"]
    again = client.head(f"/v1/blog/posts/{post['id']}", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_head_of_a_draft_is_a_404_to_the_public(client: TestClient, make_post: MakeItem) -> None:
    draft = make_post()
    head = client.head(f"/v1/blog/posts/{draft['id']}")
    assert (head.status_code, head.content) == (404, b"")


def test_head_is_logged_as_head(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="portfolio_api.access"):
        client.head("/v1/visitors/count")
    access = [r for r in caplog.records if r.name == "portfolio_api.access"]
    assert [(r.method, r.route, r.status) for r in access] == [  # type: ignore[attr-defined]
        ("HEAD", "/v1/visitors/count", 200)
    ]


def test_head_does_not_reach_write_routes(client: TestClient) -> None:
    # HEAD is a GET without the body, never a POST: a track is not counted by a HEAD.
    assert client.head("/v1/visitors/track").status_code == 405
    assert client.get("/v1/visitors/count").json() == {"count": 0}


def test_the_server_sees_head_while_the_response_starts(app: FastAPI) -> None:
    # uvicorn writes its access line when the response starts, from the scope it passed in.
    seen: list[str] = []

    async def server_side(scope: Scope, receive: Receive, send: Send) -> None:
        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.append(scope["method"])
            await send(message)

        await app(scope, receive, logging_send)

    with TestClient(server_side) as client:
        assert client.head("/health").status_code == 200
    assert seen == ["HEAD"]
