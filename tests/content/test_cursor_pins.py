"""A public list cursor pins the moment its walk started (`<ms>~<signed token>`), so later
pages hide the same scheduled items; the moment is bound by the token's signature, and a
cursor never reveals an item before its publishAt."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from tests.content.conftest import MakeItem

Headers = dict[str, str]
FUTURE_MS = "99999999999999"  # year 5138
LISTS = ["/v1/blog/posts", "/v1/projects", "/v1/certifications"]


@pytest.fixture
def embargoed(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, clock: FixedClock
) -> str:
    """Three public posts and one scheduled for 2030."""
    for number in range(3):
        make_post(publish=True, title=f"Public {number}")
    secret = make_post(title="Embargoed announcement")
    scheduled = client.post(
        f"/v1/blog/posts/{secret['id']}/publish",
        json={"publishAt": "2030-01-01T00:00:00Z"},
        headers=owner_headers,
    )
    assert scheduled.json()["scheduled"] is True
    return str(secret["id"])


@pytest.mark.parametrize("path", LISTS)
def test_a_time_without_a_signed_token_is_refused(
    client: TestClient, embargoed: str, path: str
) -> None:
    response = client.get(path, params={"cursor": f"{FUTURE_MS}~", "limit": 3})

    assert response.status_code == 400, response.text
    assert response.json()["details"] == {"field": "cursor"}


def test_a_later_time_on_a_genuine_cursor_is_refused(client: TestClient, embargoed: str) -> None:
    first = client.get("/v1/blog/posts", params={"limit": 1}).json()
    _, _, token = first["nextCursor"].partition("~")

    response = client.get("/v1/blog/posts", params={"cursor": f"{FUTURE_MS}~{token}"})

    assert response.status_code == 400, response.text


def test_walking_every_page_never_shows_the_scheduled_item(
    client: TestClient, embargoed: str
) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/blog/posts", params=params).json()
        seen += [post["id"] for post in page["posts"]]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    assert len(seen) == 3
    assert embargoed not in seen
