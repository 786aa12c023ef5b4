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
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portfolio_api.auth.sessions import SIGNED_OUT
from portfolio_api.config import Settings
from portfolio_api.main import OPENAPI_URL, create_app
from tests.fuzz.conftest import CASES, FuzzTarget

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
    """Same cases on every run, nothing saved on disk; the module's app serves every case."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Every operation is fuzzed as the owner and anonymously. The parameter also gives each
# operation's test its own id: pytest 9.2 builds test ids from parameters, not from the names
# schemathesis gives them, and xdist tells tests apart by id.
AS_OWNER = pytest.mark.parametrize("as_owner", [True, False], ids=["owner", "anonymous"])


def check(case: schemathesis.Case, target: FuzzTarget, *, as_owner: bool) -> None:
    """Send `case` to the app and check the answer."""
    CASES[case.operation.label] += 1
    logout = case.operation.label == "POST /v1/auth/logout"
    headers: dict[str, str] = {}
    if as_owner:
        headers = target.logout_headers if logout else target.owner_headers
    response = case.call_and_validate(app=target.app, headers=headers, checks=CHECKS)
    # Past its first case, `logout` fuzzes a signed-out token (401, documented); any other
    # operation must still get past the owner's token, or it would check nothing behind it.
    assert logout or SIGNED_OUT not in response.text, "the fuzzed owner was signed out"


@schema.parametrize()
@AS_OWNER
@fuzz_settings(max_examples=10)
def test_operation_conforms_to_the_document(
    case: schemathesis.Case, as_owner: bool, fuzz_target: FuzzTarget
) -> None:
    check(case, fuzz_target, as_owner=as_owner)


@pytest.mark.slow
@schema.parametrize()
@AS_OWNER
@fuzz_settings(max_examples=100)
def test_operation_conforms_to_the_document_under_100_cases(
    case: schemathesis.Case, as_owner: bool, fuzz_target: FuzzTarget
) -> None:
    check(case, fuzz_target, as_owner=as_owner)
