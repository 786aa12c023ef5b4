"""Schemathesis fuzzes every operation of our OpenAPI document, in-process, on moto.

Each generated request goes to the real app (moto's table, user pool and bucket, content
seeded through the API), as the owner and anonymously, and its response must be no 5xx,
carry a documented status code and content type, and match the documented schema.

CI runs a few derandomized cases per operation. The full run, 100 per operation (`-n 0`
keeps it in this process, which then prints the cases per operation):

    uv run pytest -m slow tests/fuzz -n 0
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portfolio_api.config import Settings
from portfolio_api.main import OPENAPI_URL, create_app
from tests.fuzz.conftest import CASES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The document as `portfolio-api openapi` exports it; requests go to each test's moto app.
schema = schemathesis.openapi.from_asgi(
    OPENAPI_URL, create_app(Settings(docs_enabled=True, api_base_path=""))
)


def fuzz_settings(max_examples: int) -> settings:
    """Same cases on every run, nothing saved on disk; the app is shared by a test's cases."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def check(case: schemathesis.Case, app: FastAPI, owner_headers: dict[str, str]) -> None:
    """Send `case` to `app` as the owner, then anonymously; check both answers."""
    CASES[case.operation.label] += 1
    for headers in (owner_headers, {}):
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)


@schema.parametrize()
@fuzz_settings(max_examples=8)
def test_operation_conforms_to_the_document(
    case: schemathesis.Case, fuzz_app: FastAPI, owner_headers: dict[str, str]
) -> None:
    check(case, fuzz_app, owner_headers)


@pytest.mark.slow
@schema.parametrize()
@fuzz_settings(max_examples=100)
def test_operation_conforms_to_the_document_under_100_cases(
    case: schemathesis.Case, fuzz_app: FastAPI, owner_headers: dict[str, str]
) -> None:
    check(case, fuzz_app, owner_headers)
