"""Long texts are stored zlib-compressed as Binary, and every read answers as before."""

from __future__ import annotations

import zlib
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.blog.service import BLOG
from portfolio_api.config import Settings
from portfolio_api.content import compression, text
from portfolio_api.content.registry import all_kinds
from portfolio_api.db.table import Table
from tests.content.conftest import REALISTIC_POST, MakeItem, stored_item
from tests.visitors.fakes import CountingClient, wire_client

Headers = dict[str, str]
SHORT_MARKDOWN_LONG_HTML = "[link](https://example.com/a/long/path/to/somewhere) " * 8


def _types(item: dict[str, Any], *names: str) -> tuple[str, ...]:
    return tuple(next(iter(item[name])) for name in names)


def _size(value: dict[str, Any]) -> int:
    """DynamoDB's size of a typed value (strings and binaries by their bytes)."""
    ((kind, data),) = value.items()
    if kind == "S":
        return len(data.encode())
    if kind == "B":
        return len(data)
    if kind == "L":
        return 3 + sum(1 + _size(member) for member in data)
    if kind == "M":
        return 3 + sum(1 + len(name) + _size(member) for name, member in data.items())
    return len(str(data)) // 2 + 1  # N; BOOL and NULL are 1 byte either way


def _item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + _size(value) for name, value in item.items())


@pytest.mark.parametrize(
    ("content", "stored_as"),
    [
        (REALISTIC_POST, ("B", "B")),
        ("# Intro\n\nFastAPI is **fast**.", ("S", "S")),
        (SHORT_MARKDOWN_LONG_HTML, ("S", "B")),
    ],
    ids=["long", "short", "short-markdown-long-html"],
)
def test_texts_of_512_bytes_and_more_are_stored_as_binary(
    client: TestClient, table: Table, make_post: MakeItem, content: str, stored_as: tuple[str, str]
) -> None:
    post = make_post(content=content, publish=True)
    stored = stored_item(table, "blog", post["id"])
    assert _types(stored, "content", "contentHtml") == stored_as
    assert _types(stored, "title", "excerpt") == ("S", "S")
    public = client.get(f"/v1/blog/posts/{post['id']}").json()
    assert (public["content"], public["contentHtml"]) == (content, text.render_markdown(content))


@pytest.mark.parametrize(
    ("make", "kind", "attribute"),
    [
        ("make_project", "project", "longDescription"),
        ("make_certification", "certification", "description"),
    ],
)
def test_long_descriptions_are_stored_as_binary(
    client: TestClient,
    table: Table,
    request: pytest.FixtureRequest,
    make: str,
    kind: str,
    attribute: str,
) -> None:
    factory: MakeItem = request.getfixturevalue(make)
    long, short = factory(**{attribute: REALISTIC_POST}, publish=True), factory()
    assert _types(stored_item(table, kind, long["id"]), attribute) == ("B",)
    assert _types(stored_item(table, kind, short["id"]), attribute) == ("S",)
    path = "/v1/projects" if kind == "project" else "/v1/certifications"
    assert client.get(f"{path}/{long['id']}").json()[attribute] == REALISTIC_POST
    assert client.get(path).json()[f"{kind}s"][0][attribute] == REALISTIC_POST


def test_every_read_answers_the_same_whether_the_text_is_stored_compressed_or_plain(
    client: TestClient, table: Table, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(content=REALISTIC_POST, publish=True)
    make_post(title="Another", content=REALISTIC_POST + "\nMore.", publish=True)
    reads = [
        (f"/v1/blog/posts/{post['id']}", {}),
        (f"/v1/blog/posts/{post['slug']}", {}),
        ("/v1/blog/posts?limit=10", {}),
        ("/v1/blog/posts?category=backend&tag=python", {}),
        (f"/v1/blog/posts/{post['id']}", owner_headers),
        ("/v1/blog/posts?status=all", owner_headers),
        ("/v1/blog/feed.xml", {}),
        ("/v1/sitemap.xml", {}),
    ]

    def answers() -> list[tuple[int, str | None, bytes]]:
        found = []
        for path, headers in reads:
            response = client.get(path, headers=headers)
            found.append((response.status_code, response.headers.get("ETag"), response.content))
        return found

    compressed = stored_item(table, "blog", post["id"])
    assert _types(compressed, "content", "contentHtml") == ("B", "B")
    from_compressed = answers()
    # The item as the code before compression wrote it: the same attributes, as Strings.
    plain = {
        **compressed,
        "content": {"S": REALISTIC_POST},
        "contentHtml": {"S": text.render_markdown(REALISTIC_POST)},
    }
    table.client.put_item(TableName=table.name, Item=plain)

    assert answers() == from_compressed
    assert all(status == 200 for status, _, _ in from_compressed)
    assert REALISTIC_POST.splitlines()[0].encode() in from_compressed[0][2]


def test_an_item_written_before_compression_is_rewritten_compressed_at_its_next_write(
    client: TestClient, table: Table, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post(content=REALISTIC_POST)
    html = text.render_markdown(REALISTIC_POST)
    old = {**stored_item(table, "blog", post["id"]), "content": {"S": REALISTIC_POST}}
    table.client.put_item(TableName=table.name, Item={**old, "contentHtml": {"S": html}})

    response = client.put(
        f"/v1/blog/posts/{post['id']}", json={"title": "Renamed"}, headers=owner_headers
    )

    assert response.status_code == 200
    assert (response.json()["content"], response.json()["contentHtml"]) == (REALISTIC_POST, html)
    stored = stored_item(table, "blog", post["id"])
    assert _types(stored, "content", "contentHtml") == ("B", "B")


def test_a_realistic_post_is_stored_in_at_most_half_its_uncompressed_size(
    table: Table, make_post: MakeItem
) -> None:
    post = make_post(content=REALISTIC_POST, publish=True)
    stored = stored_item(table, "blog", post["id"])
    plain = {
        **stored,
        "content": {"S": post["content"]},
        "contentHtml": {"S": post["contentHtml"]},
    }
    assert 5_000 <= _item_size(plain) <= 6_000
    assert _item_size(stored) <= _item_size(plain) / 2


def test_a_stream_that_would_expand_beyond_any_stored_text_is_refused() -> None:
    bomb = zlib.compress(b" " * (compression.MAX_TEXT_BYTES + 1))
    with pytest.raises(ValueError, match="content"):
        compression.decompress(BLOG, {"content": bomb})


class _ExpressionRecorder(CountingClient):
    """Keeps the expressions and attribute names of every request."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.expressions: list[str] = []

    def __getattr__(self, name: str) -> Any:
        forward = super().__getattr__(name)
        if name.startswith("_") or not callable(forward):
            return forward

        def call(**request: Any) -> Any:
            for field, value in request.items():
                if "Expression" in field:
                    self.expressions.append(str(value))
            return forward(**request)

        return call


def test_no_list_filter_or_key_condition_names_a_compressed_attribute(
    client: TestClient,
    app: FastAPI,
    table: Table,
    settings: Settings,
    owner_headers: Headers,
    make_post: MakeItem,
    make_project: MakeItem,
    make_certification: MakeItem,
) -> None:
    make_post(content=REALISTIC_POST, publish=True)
    make_project(longDescription=REALISTIC_POST, featured=True, publish=True)
    make_certification(description=REALISTIC_POST, publish=True)
    recorder = _ExpressionRecorder(table.client)
    wire_client(app, table, settings, recorder)
    paths = [
        "/v1/blog/posts?category=backend&tag=python",
        "/v1/projects?featured=true",
        "/v1/certifications?type=certification&featured=true",
        "/v1/blog/feed.xml",
        "/v1/sitemap.xml",
    ]
    for path in paths:
        assert client.get(path).status_code == 200
        assert client.get(path, headers=owner_headers).status_code == 200
    for status in ("draft", "all", "published"):
        response = client.get(f"/v1/blog/posts?status={status}", headers=owner_headers)
        assert response.status_code == 200

    compressed = {name for kind in all_kinds().values() for name in kind.compressed}
    assert recorder.calls["query"] >= len(paths)
    assert compressed == {"content", "contentHtml", "longDescription", "description"}
    assert not [e for e in recorder.expressions if any(name in e for name in compressed)]
