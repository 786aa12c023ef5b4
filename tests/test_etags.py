"""One ETag format and one If-Match parser for every versioned resource."""

from __future__ import annotations

import re

import pytest

from portfolio_api.errors import PreconditionFailed
from portfolio_api.etags import parse_if_match, version_etag


def test_version_etag_is_strong_and_prefixed() -> None:
    assert version_etag(3) == '"v3"'
    assert version_etag(3, variant="0a1b2c3d") == '"v3-0a1b2c3d"'


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("*", "*"), (' "v3" ', 3), ('"v120"', 120), ('"v7-0a1b2c3d"', 7)],
)
def test_if_match_names_a_version_any_version_or_nothing(
    header: str | None, expected: int | str | None
) -> None:
    assert parse_if_match(header) == expected


@pytest.mark.parametrize(
    "header",
    [
        'W/"v3"',
        '"3"',
        "v3",
        '"v3", "v4"',
        '"vx"',
        '"v' + "9" * 13 + '"',
        '"v3-xyz"',
        '"v3-0A1B2C3D"',
        'W/"v3-0a1b2c3d"',
    ],
)
def test_weak_or_foreign_etags_never_match(header: str) -> None:
    with pytest.raises(PreconditionFailed):
        parse_if_match(header)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/tasks", {"title": "Write the post"}),
        ("/v1/blog/posts", None),
    ],
)
def test_every_versioned_resource_sends_the_same_etag_format(
    client: object, owner_headers: dict[str, str], path: str, body: dict[str, str] | None
) -> None:
    from fastapi.testclient import TestClient

    assert isinstance(client, TestClient)
    if body is None:
        body = {
            "title": "Hello",
            "excerpt": "Hi",
            "content": "# Hi",
            "category": "Backend",
            "tags": ["python"],
        }
    created = client.post(path, json=body, headers=owner_headers)
    assert created.status_code == 201
    assert re.fullmatch(r'"v1(-[0-9a-f]{8})?"', created.headers["ETag"])
    assert parse_if_match(created.headers["ETag"]) == 1
