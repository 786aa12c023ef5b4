"""Pagination cursors are opaque, signed and bound to the query that produced them."""

from __future__ import annotations

import base64
import json

import pytest

from portfolio_api.db import cursor
from portfolio_api.errors import BadRequest

SECRET = b"secret"
LAST_KEY = {"PK": {"S": "BLOG"}, "SK": {"S": "POST#1"}}


def test_a_cursor_round_trips_for_its_own_query() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=SECRET)
    assert cursor.decode(token, fingerprint="q1", secret=SECRET) == LAST_KEY


def test_a_cursor_of_another_query_is_rejected() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=SECRET)
    with pytest.raises(BadRequest):
        cursor.decode(token, fingerprint="q2", secret=SECRET)


def test_a_cursor_signed_with_another_secret_is_rejected() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=b"other")
    with pytest.raises(BadRequest):
        cursor.decode(token, fingerprint="q1", secret=SECRET)


def test_a_forged_payload_is_rejected() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=SECRET)
    _, signature = token.split(".")
    forged = {"k": {"PK": {"S": "TASKS"}, "SK": {"S": "TASK#1"}}, "q": "q1"}
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    with pytest.raises(BadRequest):
        cursor.decode(f"{payload}.{signature}", fingerprint="q1", secret=SECRET)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "!!!.???", "x" * 5000, "é.é"])
def test_garbage_is_rejected(garbage: str) -> None:
    with pytest.raises(BadRequest):
        cursor.decode(garbage, fingerprint="q1", secret=SECRET)


def test_the_cursor_does_not_expose_raw_json() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=SECRET)
    assert "{" not in token
    assert "PK" not in token


def test_a_cursor_carries_its_state_signed() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=SECRET, state={"total": 7})
    assert cursor.state(token, secret=SECRET) == {"total": 7}
    assert cursor.decode(token, fingerprint="q1", secret=SECRET) == LAST_KEY


def test_a_cursor_without_state_carries_an_empty_one() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=SECRET)
    assert cursor.state(token, secret=SECRET) == {}


def test_an_altered_state_is_rejected() -> None:
    token = cursor.encode(LAST_KEY, fingerprint="q1", secret=SECRET, state={"total": 7})
    _, signature = token.split(".")
    forged = {"k": LAST_KEY, "q": "q1", "s": {"total": 7000}}
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    with pytest.raises(BadRequest):
        cursor.state(f"{payload}.{signature}", secret=SECRET)
    with pytest.raises(BadRequest):
        cursor.decode(f"{payload}.{signature}", fingerprint="q1", secret=SECRET)
