"""Generated slugs: readable when free, always found when taken."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.content import text
from tests.content.conftest import post_fields


def test_a_title_used_many_times_still_gets_a_slug_every_time(
    client: TestClient, owner_headers: dict[str, str], clock: FixedClock
) -> None:
    # Titles without ASCII letters all slugify to `untitled`; the 11th such post was a 409
    # naming a slug the owner never sent.
    slugs = []
    for _ in range(8):
        response = client.post(
            "/v1/blog/posts", json=post_fields(title="Привет мир"), headers=owner_headers
        )
        assert response.status_code == 201, response.text
        slugs.append(response.json()["slug"])
    assert slugs[:5] == ["untitled", "untitled-2", "untitled-3", "untitled-4", "untitled-5"]
    assert len(set(slugs)) == 8
    ids = client.get("/v1/blog/posts", params={"status": "all"}, headers=owner_headers).json()
    by_slug = {post["slug"]: post["id"] for post in ids["posts"]}
    for slug in slugs[5:]:
        assert by_slug[slug] == "post_" + slug.removeprefix("untitled-")


@pytest.mark.parametrize(
    ("slug", "suffix", "expected"),
    [
        ("post", "2", "post-2"),
        ("a" * 80, "2", "a" * 78 + "-2"),
        ("ab-" + "c" * 77, "x" * 77, "ab-" + "x" * 77),
    ],
)
def test_a_suffixed_slug_stays_within_the_limit(slug: str, suffix: str, expected: str) -> None:
    assert text.with_suffix(slug, suffix) == expected
