"""Python values survive the trip through DynamoDB's typed JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portfolio_api.db import codec


def test_round_trip_of_every_supported_type() -> None:
    value = {
        "s": "text",
        "i": 42,
        "f": 1.5,
        "b": True,
        "n": None,
        "m": {"nested": [1, "two", {"three": 3}]},
        "ss": {"a", "b"},
        "bytes": b"\x00\x01",
    }
    assert codec.from_item(codec.to_item(value)) == value


def test_numbers_are_sent_as_exact_decimal_strings() -> None:
    assert codec.serialize(0.1) == {"N": "0.1"}
    assert codec.serialize(Decimal("12.50")) == {"N": "12.50"}
    assert codec.serialize(10**20) == {"N": "100000000000000000000"}


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot store object"):
        codec.serialize(object())
