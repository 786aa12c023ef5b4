"""The reference contract (`tests/fixtures/portfolio-openapi.yml`) as JSON Schema.

The one loader of the contract for every test: the contract conformance tests here, and the
content and visitor tests' body checks. OpenAPI 3.0 schemas become JSON Schema (Draft 7):
`nullable: true` admits `null`, and `$ref`s resolve against the contract's `components`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

CONTRACT = Path(__file__).resolve().parents[1] / "fixtures" / "portfolio-openapi.yml"
"""A verbatim copy of the reference contract, so that the tests run anywhere."""

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_OPENAPI_ONLY = frozenset({"nullable", "example", "discriminator", "xml", "externalDocs"})


@cache
def contract() -> dict[str, Any]:
    """The parsed contract."""
    document: dict[str, Any] = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    return document


@dataclass(frozen=True)
class Operation:
    """One operation of the contract."""

    operation_id: str
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def statuses(self) -> set[int]:
        """The response codes the contract documents for it."""
        return {int(code) for code in self.spec["responses"] if code != "default"}

    @property
    def owner_only(self) -> bool:
        """Whether the contract asks for the bearer token."""
        return bool(self.spec.get("security", contract().get("security")))


def operations() -> Iterator[Operation]:
    """Every operation of the contract, in document order."""
    for path, item in contract()["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                spec = item[method]
                yield Operation(spec["operationId"], method, path, spec)


def as_json_schema(node: Any, *, closed: bool = False) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema; `closed` refuses properties it does not declare."""
    if isinstance(node, list):
        return [as_json_schema(value, closed=closed) for value in node]
    if not isinstance(node, dict):
        return node
    schema = {
        key: as_json_schema(value, closed=closed)
        for key, value in node.items()
        if key not in _OPENAPI_ONLY
    }
    if closed and schema.get("type") == "object" and "properties" in schema:
        schema.setdefault("additionalProperties", False)
    if node.get("nullable") is True:
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        else:  # a $ref or a composition: null, or what it describes
            schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def _resolve_response(response: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        resolved: dict[str, Any] = contract()["components"]["responses"][name]
        return resolved
    return response


def response_schema(
    path: str, method: str, status: int, *, closed: bool = False
) -> dict[str, Any] | None:
    """The JSON Schema of an operation's JSON response body (None if it has no JSON body)."""
    responses = contract()["paths"][path][method.lower()]["responses"]
    response = _resolve_response(responses[str(status)])
    media = response.get("content", {}).get("application/json")
    if media is None:
        return None
    return schema_of(media["schema"], closed=closed)


def schema_of(schema: dict[str, Any], *, closed: bool = False) -> dict[str, Any]:
    """A contract schema as standalone JSON Schema, the contract's components beside it."""
    converted: dict[str, Any] = as_json_schema(schema, closed=closed)
    return {**converted, "components": as_json_schema(contract()["components"], closed=closed)}


def validator(schema: dict[str, Any]) -> Draft7Validator:
    """A validator for a schema from `schema_of`/`response_schema` that also checks formats."""
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
