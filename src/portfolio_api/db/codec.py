"""Plain Python values <-> DynamoDB's typed JSON, without importing boto3."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

Item = dict[str, Any]


def serialize(value: Any) -> dict[str, Any]:
    """One Python value as a DynamoDB attribute value."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | Decimal):
        return {"N": str(value)}
    if isinstance(value, float):
        return {"N": str(Decimal(repr(value)))}
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, dict):
        return {"M": {str(k): serialize(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [serialize(v) for v in value]}
    if isinstance(value, set | frozenset) and all(isinstance(v, str) for v in value):
        return {"SS": sorted(value)}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB")


def deserialize(attribute: dict[str, Any]) -> Any:
    """One DynamoDB attribute value as a Python value (numbers become int or float)."""
    ((kind, value),) = attribute.items()
    if kind == "S" or kind == "B" or kind == "BOOL":
        return value
    if kind == "N":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: deserialize(v) for k, v in value.items()}
    if kind == "L":
        return [deserialize(v) for v in value]
    if kind in ("SS", "BS"):
        return set(value)
    if kind == "NS":
        return {deserialize({"N": v}) for v in value}
    raise TypeError(f"unknown DynamoDB type {kind}")


def to_item(values: Item) -> dict[str, Any]:
    """A Python dict as a DynamoDB item."""
    return {key: serialize(value) for key, value in values.items()}


def from_item(item: dict[str, Any]) -> Item:
    """A DynamoDB item as a Python dict."""
    return {key: deserialize(value) for key, value in item.items()}
