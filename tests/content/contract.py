"""Validate response bodies against the reference OpenAPI contract's schemas."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft7Validator

from tests.contract.schema import response_schema, schema_of


def assert_matches_schema(name: str, instance: Any) -> None:
    """`instance` is valid against `components.schemas.<name>`."""
    Draft7Validator(schema_of({"$ref": f"#/components/schemas/{name}"})).validate(instance)


def assert_matches_response(path: str, method: str, status: int, instance: Any) -> None:
    """`instance` is valid against the contract's response body of an operation."""
    schema = response_schema(path, method, status)
    assert schema is not None, f"{method.upper()} {path} {status} has no JSON body"
    Draft7Validator(schema).validate(instance)
