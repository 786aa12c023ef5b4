"""The OpenAPI document of the content routes declares the answers each can give, and no other."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from portfolio_api.config import Settings
from portfolio_api.main import create_app

ITEMS = {
    "/v1/blog/posts": "/v1/blog/posts/{postId}",
    "/v1/projects": "/v1/projects/{projectId}",
    "/v1/certifications": "/v1/certifications/{certificationId}",
}


@cache
def _responses(path: str, method: str) -> dict[str, Any]:
    document = create_app(Settings(docs_enabled=True)).openapi()
    responses: dict[str, Any] = document["paths"][path][method]["responses"]
    return responses


@pytest.mark.parametrize(
    "path", [*ITEMS, "/v1/blog/categories", "/v1/blog/feed.xml", "/v1/sitemap.xml"]
)
def test_a_list_never_declares_a_404(path: str) -> None:
    assert "404" not in _responses(path, "get")


@pytest.mark.parametrize("path", ITEMS)
def test_a_list_declares_its_403_for_drafts_without_an_owner_token(path: str) -> None:
    description = _responses(path, "get")["403"]["description"]
    assert "without a token, or with a non-owner's" in description


@pytest.mark.parametrize("path", ITEMS)
def test_a_list_declares_its_401_for_drafts_asked_with_a_stale_token(path: str) -> None:
    description = _responses(path, "get")["401"]["description"]
    assert "expired or signed out" in description
    assert "with `status` omitted such a token reads as anonymous" in description


@pytest.mark.parametrize("path", ITEMS)
def test_create_declares_neither_a_missing_item_nor_if_match(path: str) -> None:
    responses = _responses(path, "post")
    assert "404" not in responses
    assert "412" not in responses
    assert {"401", "403", "409", "413"} <= set(responses)


@pytest.mark.parametrize("path", ITEMS.values())
def test_delete_declares_no_item_size_413(path: str) -> None:
    responses = _responses(path, "delete")
    assert "DynamoDB's item size" not in responses["413"]["description"]  # the body limit's
    assert {"401", "403", "404", "409", "412"} <= set(responses)


@pytest.mark.parametrize("path", ITEMS.values())
def test_an_item_read_declares_its_404_and_304_but_no_401(path: str) -> None:
    responses = _responses(path, "get")
    assert {"304", "404"} <= set(responses)
    assert "401" not in responses
