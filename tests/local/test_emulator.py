"""The emulator server: loopback only, empty on start, serving the pool's JWKS."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from portfolio_api.local.data_dir import OwnerCredentials, generate_password
from portfolio_api.local.emulator import Emulator, EmulatorError, client, provision

OWNER = OwnerCredentials(email="me@example.com", password=generate_password())


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    server = Emulator()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_emulator_listens_on_loopback(emulator: Emulator) -> None:
    assert emulator.endpoint_url.startswith("http://127.0.0.1:")


def test_emulator_serves_the_pool_jwks(emulator: Emulator) -> None:
    provisioned = provision(endpoint_url=emulator.endpoint_url, owner=OWNER)
    response = httpx.get(emulator.jwks_url(provisioned.user_pool_id), timeout=5)
    assert response.status_code == 200
    assert [key["alg"] for key in response.json()["keys"]] == ["RS256"]


def test_emulator_starts_empty_even_after_another_in_the_same_process() -> None:
    first = Emulator()
    first.start()
    try:
        provision(endpoint_url=first.endpoint_url, owner=OWNER)
    finally:
        first.stop()
    second = Emulator()
    second.start()
    try:
        assert client("dynamodb", second.endpoint_url).list_tables()["TableNames"] == []
    finally:
        second.stop()


def test_taken_emulator_port_is_an_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(EmulatorError, match="not free"):
            Emulator(taken.getsockname()[1])
