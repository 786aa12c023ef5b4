"""Validate response bodies against the reference OpenAPI contract's schemas."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

CONTRACT = Path("/work/shared/reference/portfolio-openapi.yml")
if not CONTRACT.exists():  # a checkout with the contract beside the repository
    CONTRACT = Path(__file__).resolve().parents[3] / "shared/reference/portfolio-openapi.yml"


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` as JSON Schema's `type: [..., "null"]`."""
    if isinstance(node, dict):
        converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
        if node.get("nullable") and "type" in node:
            converted["type"] = [node["type"], "null"]
        return converted
    if isinstance(node, list):
        return [_json_schema(value) for value in node]
    return node


@lru_cache
def _contract() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(CONTRACT.read_text())
    return document


def _validate(schema: dict[str, Any], instance: Any) -> None:
    root = {"components": _json_schema(_contract()["components"]), **_json_schema(schema)}
    Draft7Validator(root).validate(instance)


def assert_matches_schema(name: str, instance: Any) -> None:
    """`instance` is valid against `components.schemas.<name>`."""
    _validate({"$ref": f"#/components/schemas/{name}"}, instance)


def assert_matches_response(path: str, method: str, status: int, instance: Any) -> None:
    """`instance` is valid against the contract's response body of an operation."""
    response = _contract()["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        response = _contract()["components"]["responses"][name]
    _validate(response["content"]["application/json"]["schema"], instance)
