"""The documented bound of `offset` (5,000), on both sides."""

from __future__ import annotations

from fastapi.testclient import TestClient

from portfolio_api.content.repository import MAX_OFFSET


def test_offset_is_accepted_up_to_its_documented_bound(client: TestClient) -> None:
    assert MAX_OFFSET == 5000  # docs/data-model.md and the OpenAPI description say so

    at_bound = client.get("/v1/blog/posts", params={"offset": MAX_OFFSET})
    past_bound = client.get("/v1/blog/posts", params={"offset": MAX_OFFSET + 1})

    assert at_bound.status_code == 200, at_bound.text
    assert at_bound.json()["posts"] == []
    assert past_bound.status_code == 400
    assert past_bound.json()["details"]["field"] == "offset"
