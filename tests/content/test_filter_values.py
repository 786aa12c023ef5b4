"""Filter values match what was saved: labels are stored trimmed, with inner whitespace
collapsed, and compared without case; a filter value is read the same way."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from tests.content.conftest import MakeItem


@pytest.mark.parametrize(
    "params",
    [
        {"tag": " python"},
        {"tag": "PYTHON\t"},
        {"category": "  Web   Dev "},
        {"category": "web dev", "tag": " Python "},
    ],
)
def test_a_filter_value_is_cleaned_like_a_stored_label(
    params: dict[str, str], client: TestClient, make_post: MakeItem, clock: FixedClock
) -> None:
    post = make_post(publish=True, category="Web Dev", tags=["python"])
    make_post(publish=True, category="Other", tags=["go"])

    listing = client.get("/v1/blog/posts", params=params).json()

    assert [found["id"] for found in listing["posts"]] == [post["id"]]
    assert listing["total"] == 1
