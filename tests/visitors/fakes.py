"""Test doubles of the AWS side only (never of our code), shared by visitor and analytics tests."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError
from fastapi import FastAPI

from portfolio_api.config import Settings
from portfolio_api.db.table import Table


class CountingClient:
    """A DynamoDB client that counts the requests it forwards to the real (moto) client."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name.startswith("_") or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attribute(*args, **kwargs)

        return call

    def total(self) -> int:
        """Requests forwarded so far."""
        return sum(self.calls.values())

    def reset(self) -> None:
        """Forget the requests counted so far."""
        self.calls.clear()


class SerialClient(CountingClient):
    """Forwards one request at a time. DynamoDB applies each request atomically, but moto's
    in-process backend is not thread-safe (a transaction deep-copies the table while other
    threads write to it). Requests from concurrent app threads still interleave freely."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        forward: Callable[..., Any] = super().__getattr__(name)
        if not callable(forward) or name.startswith("_"):
            return forward

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return forward(*args, **kwargs)

        return call


class ConflictingClient(CountingClient):
    """Cancels the first `conflicts` transactions as DynamoDB does when another transaction
    holds one of their items (`TransactionConflict`), then behaves normally."""

    def __init__(self, client: Any, *, conflicts: int) -> None:
        super().__init__(client)
        self.conflicts = conflicts

    def __getattr__(self, name: str) -> Any:
        forward: Callable[..., Any] = super().__getattr__(name)
        if name != "transact_write_items":
            return forward

        def transact(**request: Any) -> Any:
            if self.conflicts > 0:
                self.conflicts -= 1
                self.calls[name] += 1
                reasons = [{"Code": "None"} for _ in request["TransactItems"]]
                reasons[-1] = {"Code": "TransactionConflict", "Message": "conflict"}
                raise ClientError(
                    {
                        "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
                        "CancellationReasons": reasons,
                    },
                    "TransactWriteItems",
                )
            return forward(**request)

        return transact


def wire_client(app: FastAPI, table: Table, settings: Settings, client: CountingClient) -> None:
    """Make the app reach the moto table through `client`."""
    app.state.table = Table(
        client=client,
        name=table.name,
        cursor_secret=settings.cursor_secret.get_secret_value().encode(),
    )
