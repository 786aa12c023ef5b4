"""Key strings are a persisted contract: these pin their exact shapes."""

from __future__ import annotations

from portfolio_api.db import keys


def test_visitor_total_key() -> None:
    assert keys.visitor_total() == {"PK": "VISITORS", "SK": "TOTAL"}


def test_content_publication_marker_key() -> None:
    assert keys.content_publication("blog", "abc") == {"PK": "PUB#blog", "SK": "abc"}
