"""Opaque, tamper-proof pagination cursors.

A cursor carries DynamoDB's `LastEvaluatedKey` and a fingerprint of the query it came from,
signed with HMAC-SHA256. A cursor that was altered, forged, or produced by another query (say,
another partition) is rejected with a 400 instead of being used as `ExclusiveStartKey`. It may
also carry a small `state` of the caller's (a list's total), signed with the rest.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from portfolio_api.errors import BadRequest

_MAX_CURSOR_LENGTH = 2048


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def query_fingerprint(parts: dict[str, Any]) -> str:
    """A stable digest of everything that defines a query (index, key condition, values...)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def encode(
    last_key: dict[str, Any],
    *,
    fingerprint: str,
    secret: bytes,
    state: dict[str, Any] | None = None,
) -> str:
    """Sign `last_key` (and `state`, if any) for the query identified by `fingerprint`."""
    data: dict[str, Any] = {"k": last_key, "q": fingerprint}
    if state:
        data["s"] = state
    payload = json.dumps(data, separators=(",", ":")).encode()
    signature = hmac.new(secret, payload, hashlib.sha256).digest()[:18]
    return f"{_b64(payload)}.{_b64(signature)}"


def decode(cursor: str, *, fingerprint: str, secret: bytes) -> dict[str, Any]:
    """The `LastEvaluatedKey` inside a cursor, if it is genuine and belongs to this query."""
    data = _verified(cursor, secret)
    if data.get("q") != fingerprint or not isinstance(data.get("k"), dict):
        raise _invalid()
    last_key: dict[str, Any] = data["k"]
    return last_key


def state(cursor: str, *, secret: bytes) -> dict[str, Any]:
    """The state a genuine cursor carries (empty if none); `decode` still checks its query."""
    carried = _verified(cursor, secret).get("s", {})
    if not isinstance(carried, dict):
        raise _invalid()
    return carried


def content_of(cursor: str) -> str:
    """What a cursor says about the data (the key the next page starts after, the state it
    carries) without its query fingerprint or signature, which may hold a request's moment;
    for comparing two cursors, never for reading one back (nothing is verified)."""
    payload = cursor.partition(".")[0]
    try:
        data = json.loads(_unb64(payload))
    except ValueError:
        return cursor
    if not isinstance(data, dict):
        return cursor
    data.pop("q", None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _invalid() -> BadRequest:
    return BadRequest(
        "Invalid pagination cursor: pass back the nextCursor of the same query unchanged",
        details={"field": "cursor"},
    )


def _verified(cursor: str, secret: bytes) -> dict[str, Any]:
    if len(cursor) > _MAX_CURSOR_LENGTH or cursor.count(".") != 1:
        raise _invalid()
    payload_text, signature_text = cursor.split(".")
    try:
        payload = _unb64(payload_text)
        signature = _unb64(signature_text)
    except ValueError:
        raise _invalid() from None
    expected = hmac.new(secret, payload, hashlib.sha256).digest()[:18]
    if not hmac.compare_digest(signature, expected):
        raise _invalid()
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise _invalid()
    return data
