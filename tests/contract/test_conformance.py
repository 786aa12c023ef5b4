"""Every operation of the reference contract, called validly on the real app (moto), answers
a status the contract documents for it with a body valid against the contract's schema.

The content each call needs is created through the API first (`seed`), as the owner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, ValidationError

from portfolio_api import aws
from portfolio_api.config import Settings
from portfolio_api.main import create_app
from tests.conftest import OWNER_EMAIL, OWNER_PASSWORD
from tests.content.conftest import certification_fields, post_fields, project_fields
from tests.contract.schema import (
    Operation,
    contract,
    operations,
    response_schema,
    schema_of,
    validator,
)
from tests.contract.seed import BROWSER, Seeded, seed

BASE_PATH = "/v1"


@dataclass(frozen=True)
class Call:
    """A valid request for one operation: who sends it, its body and query."""

    owner: bool = False
    body: Any = None
    query: dict[str, Any] = field(default_factory=dict)


CALLS: dict[str, Call] = {
    "login": Call(body={"email": OWNER_EMAIL, "password": OWNER_PASSWORD}),
    "logout": Call(owner=True),
    "getCurrentUser": Call(owner=True),
    "listBlogPosts": Call(query={"category": "Backend", "limit": 10}),
    "createBlogPost": Call(owner=True, body=post_fields(title="Contract Testing in Practice")),
    "getBlogPost": Call(),
    "updateBlogPost": Call(owner=True, body={"excerpt": "Updated excerpt", "tags": ["api"]}),
    "deleteBlogPost": Call(owner=True),
    "publishBlogPost": Call(owner=True),
    "unpublishBlogPost": Call(owner=True),
    "listBlogCategories": Call(),
    "listProjects": Call(query={"limit": 10}),
    "createProject": Call(owner=True, body=project_fields(name="Contract Suite")),
    "getProject": Call(),
    "updateProject": Call(owner=True, body={"description": "Updated", "featured": True}),
    "deleteProject": Call(owner=True),
    "publishProject": Call(owner=True),
    "unpublishProject": Call(owner=True),
    "listCertifications": Call(query={"type": "certification", "limit": 10}),
    "createCertification": Call(owner=True, body=certification_fields(name="CKA")),
    "getCertification": Call(),
    "updateCertification": Call(owner=True, body={"issuer": "CNCF"}),
    "deleteCertification": Call(owner=True),
    "publishCertification": Call(owner=True),
    "unpublishCertification": Call(owner=True),
    "trackVisit": Call(),
    "getVisitorCount": Call(),
    "getDailyVisitorTrends": Call(owner=True, query={"days": 7}),
    "getMonthlyVisitorTrends": Call(owner=True, query={"months": 3}),
    "trackContentView": Call(),  # the body names the seeded post, see `_body`
    "getContentViewCount": Call(),
    "getAllViewStats": Call(owner=True),
    "getTopContent": Call(owner=True, query={"limit": 3}),
    "getTotalViews": Call(owner=True),
}

CONTRACT_OPERATIONS = {operation.operation_id: operation for operation in operations()}


@cache
def _our_document() -> dict[str, Any]:
    document: dict[str, Any] = create_app(Settings(docs_enabled=True, api_base_path="")).openapi()
    return document


def _path(operation: Operation, seeded: Seeded) -> str:
    values = {
        "postId": seeded.post_id,
        "projectId": seeded.project_id,
        "certificationId": seeded.certification_id,
        "contentType": "blog",
        "contentId": seeded.post_id,
    }
    return BASE_PATH + operation.path.format(**values)


def _body(operation: Operation, call: Call, seeded: Seeded) -> Any:
    if operation.operation_id == "trackContentView":
        return {"contentType": "blog", "contentId": seeded.post_id}
    return call.body


def _request_schema(operation: Operation) -> dict[str, Any] | None:
    body = operation.spec.get("requestBody")
    if body is None:
        return None
    return schema_of(body["content"]["application/json"]["schema"])


def _documented_empty_string(error: ValidationError) -> bool:
    # `publishedAt` is `format: date`, "empty string for drafts": the contract's own exception.
    return (
        error.validator == "format"
        and error.instance == ""
        and "empty string" in str(error.schema.get("description", ""))
    )


@pytest.fixture
def seeded(
    app: FastAPI, settings: Settings, client: TestClient, owner_headers: dict[str, str]
) -> Seeded:
    """A published item of every kind, a resume, a task, a visit and a view."""
    aws.s3_client(settings).create_bucket(Bucket=settings.s3_bucket_name)
    return seed(client, owner_headers)


def test_the_contract_has_34_operations_each_with_a_call() -> None:
    assert len(CONTRACT_OPERATIONS) == 34
    assert set(CALLS) == set(CONTRACT_OPERATIONS)


@pytest.mark.parametrize("operation_id", sorted(CONTRACT_OPERATIONS))
def test_our_document_serves_the_operation_at_its_contract_path(operation_id: str) -> None:
    operation = CONTRACT_OPERATIONS[operation_id]
    paths = _our_document()["paths"]
    assert BASE_PATH + operation.path in paths, f"no {BASE_PATH}{operation.path} in openapi.json"
    ours = paths[BASE_PATH + operation.path]
    assert operation.method in ours, f"{operation.method.upper()} missing on {operation.path}"
    assert ours[operation.method]["operationId"] == operation_id


@pytest.mark.parametrize("operation_id", sorted(CONTRACT_OPERATIONS))
def test_a_valid_call_answers_as_the_contract_documents(
    operation_id: str, client: TestClient, owner_headers: dict[str, str], seeded: Seeded
) -> None:
    operation = CONTRACT_OPERATIONS[operation_id]
    call = CALLS[operation_id]
    body = _body(operation, call, seeded)
    request_schema = _request_schema(operation)
    if request_schema is not None:  # the call itself must be valid by the contract
        validator(request_schema).validate(body)

    response = client.request(
        operation.method.upper(),
        _path(operation, seeded),
        params=call.query,
        json=body,
        headers={**BROWSER, **(owner_headers if call.owner else {})},
    )

    assert response.status_code in operation.statuses, (
        f"{response.status_code} is not among the documented {sorted(operation.statuses)}: "
        f"{response.text}"
    )
    assert 200 <= response.status_code < 300, response.text
    schema = response_schema(operation.path, operation.method, response.status_code)
    if schema is None:
        assert response.content == b""
        return
    assert response.headers["content-type"].startswith("application/json")
    errors = [
        error
        for error in validator(schema).iter_errors(response.json())
        if not _documented_empty_string(error)
    ]
    assert not errors, "\n".join(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors
    )


OWNER_OPERATIONS = sorted(
    op for op, operation in CONTRACT_OPERATIONS.items() if operation.owner_only
)


@pytest.mark.parametrize("operation_id", OWNER_OPERATIONS)
def test_an_anonymous_call_to_an_owner_operation_is_the_documented_401(
    operation_id: str, client: TestClient
) -> None:
    operation = CONTRACT_OPERATIONS[operation_id]
    call = CALLS[operation_id]
    seeded = Seeded("post_0", "proj_0", "cert_0", "task_0")  # refused before any lookup
    response = client.request(
        operation.method.upper(),
        _path(operation, seeded),
        params=call.query,
        json=_body(operation, call, seeded),
        headers=BROWSER,
    )
    assert response.status_code == 401
    schema = response_schema(operation.path, operation.method, 401)
    assert schema is not None
    validator(schema).validate(response.json())


def test_nullable_properties_admit_null() -> None:
    # The contract's OpenAPI 3.0 `nullable` reaches JSON Schema: a project may lack a URL.
    project = schema_of({"$ref": "#/components/schemas/Project"})
    components = project["components"]["schemas"]["Project"]["properties"]
    assert components["githubUrl"]["type"] == ["string", "null"]
    assert Draft7Validator(components["githubUrl"]).is_valid(None)


@pytest.mark.parametrize("operation_id", sorted(CONTRACT_OPERATIONS))
def test_our_document_asks_for_a_token_exactly_where_the_contract_does(operation_id: str) -> None:
    # A generated client must not require (or always send) a token on a public operation.
    operation = CONTRACT_OPERATIONS[operation_id]
    ours = _our_document()["paths"][BASE_PATH + operation.path][operation.method]
    requirements = ours.get("security", [])
    token_optional = not requirements or {} in requirements
    assert token_optional is not operation.owner_only, requirements


@pytest.mark.parametrize("operation_id", ["listBlogPosts", "getBlogPost", "listProjects"])
def test_a_stale_token_on_a_public_read_gets_the_public_view(
    operation_id: str, client: TestClient, seeded: Seeded
) -> None:
    operation = CONTRACT_OPERATIONS[operation_id]
    stale = {**BROWSER, "Authorization": "Bearer not-a-token-any-more"}
    response = client.get(_path(operation, seeded), headers=stale)
    assert response.status_code == 200
    assert response.status_code in operation.statuses


def test_our_document_names_and_requires_the_contracts_schemas_alike() -> None:
    # Generated clients get the contract's type names and required fields.
    contract_schemas = contract()["components"]["schemas"]
    ours = _our_document()["components"]["schemas"]
    for name in ("User", "Project", "BlogPost", "Certification"):
        assert name in ours, name
        missing = set(contract_schemas[name].get("required", [])) - set(ours[name]["required"])
        assert not missing, (name, missing)
