"""Oversized bodies are refused with a 413 in the Error format, before parsing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from portfolio_api.config import Settings
from portfolio_api.main import create_app


@pytest.fixture
def echo_client(settings: Settings) -> Iterator[TestClient]:
    """The real app with a small limit and a route that reads its body."""
    app = create_app(settings.model_copy(update={"max_body_bytes": 2048}))

    @app.post("/probe/echo")
    def echo(payload: dict[str, str]) -> dict[str, int]:
        return {"keys": len(payload)}

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_body_within_the_limit_is_parsed(echo_client: TestClient) -> None:
    response = echo_client.post("/probe/echo", json={"a": "x" * 1000})
    assert response.status_code == 200
    assert response.json() == {"keys": 1}


@pytest.mark.parametrize("size", [2049, 1024 * 1024, 10 * 1024 * 1024])
def test_a_declared_oversized_body_is_413(echo_client: TestClient, size: int) -> None:
    response = echo_client.post(
        "/probe/echo", content=b"x" * size, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": "Content Too Large",
        "message": "Request body exceeds the 2 KiB limit",
        "statusCode": 413,
        "details": None,
    }


def test_a_chunked_oversized_body_is_413(echo_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 1000

    response = echo_client.post(
        "/probe/echo", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["statusCode"] == 413


def test_default_limit_is_half_a_mebibyte(client: TestClient) -> None:
    response = client.post(
        "/v1/visitors/track",
        content=b"x" * (512 * 1024 + 1),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_a_body_of_exactly_the_limit_is_parsed(echo_client: TestClient, chunked: bool) -> None:
    body = b'{"a":"' + b"x" * (2048 - len(b'{"a":""}')) + b'"}'
    assert len(body) == 2048
    content: bytes | Iterator[bytes] = iter([body[:1000], body[1000:]]) if chunked else body
    response = echo_client.post(
        "/probe/echo", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"keys": 1}
