"""The emulator server: loopback only, empty on start, serving the pool's JWKS."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import botocore.session
import httpx
import pytest
from botocore.config import Config

from portfolio_api.db import schema
from portfolio_api.local.data_dir import OwnerCredentials, generate_password
from portfolio_api.local.emulator import REGION, Emulator, EmulatorError, client, provision

OWNER = OwnerCredentials(email="me@example.com", password=generate_password())
COUNTER = {"PK": {"S": "COUNTER"}, "SK": {"S": "C"}}
WRITERS, WRITES = 8, 10


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


def _transaction(writer: int, n: int) -> list[dict[str, Any]]:
    """A marker that must be new, and a counter that counts it: both or neither."""
    return [
        {
            "Put": {
                "TableName": "race",
                "Item": {"PK": {"S": f"W#{writer}"}, "SK": {"S": str(n)}},
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        },
        {
            "Update": {
                "TableName": "race",
                "Key": COUNTER,
                "UpdateExpression": "ADD #n :one",
                "ExpressionAttributeNames": {"#n": "n"},
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        },
    ]


def test_concurrent_transactions_are_each_applied_whole(emulator: Emulator) -> None:
    # moto copies the whole table at the start of every transaction and puts the copy back when
    # one is cancelled, without a lock: unserialised, concurrent transactions failed with a 500
    # half-applied, and a cancelled one wiped out the writes made meanwhile by others.
    schema.create_table(client("dynamodb", emulator.endpoint_url), "race")
    dynamodb = botocore.session.get_session().create_client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        # One attempt (the legacy `max_attempts: 1` allowed a retry, which re-applied a
        # write that had landed and then failed its own condition): a fault shows as itself.
        config=Config(retries={"total_max_attempts": 1}, max_pool_connections=WRITERS),
    )
    filler = [
        {"PutRequest": {"Item": {"PK": {"S": f"F#{i}"}, "SK": {"S": "x" * 200}}}}
        for i in range(500)
    ]
    for start in range(0, len(filler), 25):
        dynamodb.batch_write_item(RequestItems={"race": filler[start : start + 25]})

    def write(writer: int) -> int:
        cancelled = 0
        for n in range(WRITES):
            dynamodb.transact_write_items(TransactItems=_transaction(writer, n))
            try:  # the same marker again: cancelled, and rolled back
                dynamodb.transact_write_items(TransactItems=_transaction(writer, n))
            except dynamodb.exceptions.TransactionCanceledException:
                cancelled += 1
        return cancelled

    with ThreadPoolExecutor(WRITERS) as pool:
        cancelled = sum(pool.map(write, range(WRITERS)))  # re-raises the first failed call
    assert cancelled == WRITERS * WRITES
    counter = dynamodb.get_item(TableName="race", Key=COUNTER)
    assert counter["Item"]["n"] == {"N": str(WRITERS * WRITES)}
    markers = [
        dynamodb.query(
            TableName="race",
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": f"W#{writer}"}},
            Select="COUNT",
        )["Count"]
        for writer in range(WRITERS)
    ]
    assert markers == [WRITES] * WRITERS
