"""Validation of response bodies against the contract's schemas (`portfolio-openapi.yml`).

Objects with declared properties refuse undeclared ones here, so that a response cannot grow
fields silently.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from tests.contract import schema as contract


def response_schema(path: str, method: str, status: int) -> dict[str, Any]:
    """The contract's JSON Schema of one response, `$ref`s resolvable."""
    schema = contract.response_schema(path, method, status, closed=True)
    assert schema is not None, f"{method.upper()} {path} {status} has no JSON body"
    return schema


def assert_matches_contract(body: Any, *, path: str, method: str, status: int = 200) -> None:
    """Fail unless `body` is valid for the contract's response `status` of `method path`."""
    jsonschema.validate(body, response_schema(path, method, status))


def contract_operation_ids(tag: str) -> set[str]:
    """The operation ids of one contract tag."""
    return {
        operation.operation_id
        for operation in contract.operations()
        if tag in operation.spec.get("tags", [])
    }


def assert_matches_schema(body: Any, name: str) -> None:
    """Fail unless `body` is valid for the contract's component schema `name`."""
    jsonschema.validate(
        body, contract.schema_of({"$ref": f"#/components/schemas/{name}"}, closed=True)
    )
