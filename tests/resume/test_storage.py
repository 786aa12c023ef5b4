"""The S3 PDF store's reading of S3's answers (a botocore-shaped client that fails)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from portfolio_api.errors import ServiceUnavailable
from portfolio_api.resume.storage import S3PdfStore


class _Failing:
    """A client whose every call raises `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __getattr__(self, operation: str) -> Any:
        def fail(**_: Any) -> None:
            raise self.error

        return fail


def _client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "injected"}}, "HeadObject")


@pytest.mark.parametrize("code", ["404", "NoSuchKey", "403"])
def test_a_missing_or_unlistable_object_does_not_exist(code: str) -> None:
    store = S3PdfStore(client=_Failing(_client_error(code)), bucket="b")
    assert store.exists("resume/pdf/v1-x.pdf") is False


def test_other_s3_errors_are_service_unavailable() -> None:
    store = S3PdfStore(client=_Failing(_client_error("SlowDown")), bucket="b")
    with pytest.raises(ServiceUnavailable):
        store.exists("k")
    with pytest.raises(ServiceUnavailable):
        store.put("k", b"%PDF", filename="resume.pdf")


def test_an_unreachable_endpoint_is_service_unavailable() -> None:
    error = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    store = S3PdfStore(client=_Failing(error), bucket="b")
    with pytest.raises(ServiceUnavailable):
        store.exists("k")
