"""Key strings are a persisted contract: these pin their exact shapes."""

from __future__ import annotations

from portfolio_api.db import keys


def test_visitor_total_key() -> None:
    assert keys.visitor_total() == {"PK": "VISITORS", "SK": "TOTAL"}
