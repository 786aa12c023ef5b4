"""Validation of response bodies against the contract's schemas (`portfolio-openapi.yml`)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

CONTRACT = Path(__file__).resolve().parent / "portfolio-openapi.yml"
"""A verbatim copy of the reference contract, so that the tests run anywhere."""


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(CONTRACT.read_text())
    return spec


def _strict(schema: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema: `nullable` becomes a null type, and objects with declared
    properties refuse undeclared ones (so that a response cannot grow fields silently)."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items() if k not in ("nullable", "example")}
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


def response_schema(path: str, method: str, status: int) -> dict[str, Any]:
    """The contract's JSON Schema of one response, `$ref`s resolvable."""
    spec = _spec()
    responses = spec["paths"][path][method.lower()]["responses"]
    response = responses[str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = copy.deepcopy(response["content"]["application/json"]["schema"])
    schema["components"] = spec["components"]
    return dict(_strict(schema))


def assert_matches_contract(body: Any, *, path: str, method: str, status: int = 200) -> None:
    """Fail unless `body` is valid for the contract's response `status` of `method path`."""
    jsonschema.validate(body, response_schema(path, method, status))


def contract_operation_ids(tag: str) -> set[str]:
    """The operation ids of one contract tag."""
    return {
        operation["operationId"]
        for methods in _spec()["paths"].values()
        for operation in methods.values()
        if tag in operation.get("tags", [])
    }


def assert_matches_schema(body: Any, name: str) -> None:
    """Fail unless `body` is valid for the contract's component schema `name`."""
    spec = _spec()
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    jsonschema.validate(body, _strict(schema))
