"""The thin single-table client every repository uses.

It speaks plain Python dicts (see `codec`), turns DynamoDB's failure modes into the errors the
rest of the app understands, and signs pagination cursors. Expressions stay visible in the
repositories; this module adds no query language of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as EndpointConnectionFailed

from portfolio_api.db import codec, cursor, schema
from portfolio_api.db.codec import Item
from portfolio_api.db.keys import Key
from portfolio_api.errors import Conflict, PayloadTooLarge, ServiceUnavailable

logger = logging.getLogger("portfolio_api.db")

UNAVAILABLE_CODES = frozenset({"InternalServerError", "ServiceUnavailable"})
"""DynamoDB's own transient failures (HTTP 500/503 from the service): retryable, so a 503."""

ITEM_TOO_LARGE = "The item would exceed DynamoDB's 400 KB item size limit"
CANCELLED_BY_THROTTLING = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded"})
"""A transaction action's cancellation codes for throttling (without "Exception"): on demand,
and on a provisioned table."""
THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
    }
)


class ConditionFailed(Exception):
    """A condition expression was false. Repositories turn it into a domain error.

    For a transaction, `reasons` holds DynamoDB's cancellation code of each action in order
    (`"ConditionalCheckFailed"` or `"None"`), so the caller can tell which check failed.
    For a single write, `stored` is the item the condition was checked against (typed, as
    DynamoDB returned it; None if there was none), and `retried` says that botocore had sent
    the request before: the condition may have failed on that earlier attempt's own write.
    """

    def __init__(
        self,
        reasons: list[str] | None = None,
        *,
        stored: dict[str, Any] | None = None,
        retried: bool = False,
    ) -> None:
        super().__init__("condition failed")
        self.reasons = reasons or []
        self.stored = stored
        self.retried = retried


@dataclass(frozen=True)
class Page:
    """One page of a query: the items and the cursor of the next page, if any."""

    items: list[Item]
    next_cursor: str | None = None
    query_id: str = ""
    """The query's fingerprint, with which `Table.resume_cursor` signs cursors of the query."""
    index: str | None = None
    last_key: dict[str, Any] | None = None
    """DynamoDB's `LastEvaluatedKey` (typed), when the query stopped before its end."""
    scanned: int = 0
    """Items read before the filter was applied (`ScannedCount`)."""


@dataclass
class Expression:
    """Expression attribute names and values shared by a request's expressions."""

    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def apply(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.names:
            request["ExpressionAttributeNames"] = self.names
        if self.values:
            request["ExpressionAttributeValues"] = codec.to_item(self.values)
        return request


def _translate(error: ClientError) -> Exception:
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", "")
    if code == "ConditionalCheckFailedException":
        attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        stored: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
        return ConditionFailed(stored=stored, retried=attempts > 0)
    if code == "TransactionCanceledException":
        cancelled = error.response.get("CancellationReasons", [])
        reasons = [r.get("Code", "None") for r in cancelled]
        if "ConditionalCheckFailed" in reasons:
            return ConditionFailed(reasons)
        if "TransactionConflict" in reasons:
            return Conflict("Another request changed this item at the same time; retry")
        if any(r in CANCELLED_BY_THROTTLING for r in reasons):
            logger.warning("dynamodb throttled", extra={"code": code, "reasons": reasons})
            return ServiceUnavailable("The database is busy; retry shortly")
        too_large = [r for r in cancelled if _too_large(str(r.get("Message", "")))]
        if any(r.get("Code") == "ValidationError" for r in too_large):
            return PayloadTooLarge(ITEM_TOO_LARGE)
        return error
    if code in THROTTLING_CODES:
        logger.warning("dynamodb throttled", extra={"code": code})
        return ServiceUnavailable("The database is busy; retry shortly")
    if code in UNAVAILABLE_CODES:
        logger.warning("dynamodb unavailable", extra={"code": code})
        return ServiceUnavailable("The database is unavailable; retry shortly")
    if code == "ValidationException" and _too_large(message):
        return PayloadTooLarge(ITEM_TOO_LARGE)
    return error


def _too_large(message: str) -> bool:
    """DynamoDB's message for an item over 400 KB ("Item size has exceeded ...")."""
    return "size" in message.lower() and "exceed" in message


class Table:
    """One DynamoDB table, accessed only by key (no Scan)."""

    def __init__(self, *, client: Any, name: str, cursor_secret: bytes) -> None:
        self.client = client
        self.name = name
        self._cursor_secret = cursor_secret

    def _call(self, operation: str, **request: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self.client, operation)(**request)
        except ClientError as error:
            translated = _translate(error)
            if translated is error:
                raise
            raise translated from error
        except (EndpointConnectionFailed, HTTPClientError) as error:
            # Unreachable, refused, timed out or cut off once botocore's retries ran out: the
            # database is away, not our bug, so the caller may retry (a 503, not a 500).
            logger.warning(
                "dynamodb unreachable", extra={"operation": operation, "error": repr(error)}
            )
            raise ServiceUnavailable("The database is unavailable; retry shortly") from error
        return response

    def get(self, key: Key, *, consistent: bool = False) -> Item | None:
        """The item at `key`, or None."""
        response = self._call(
            "get_item", TableName=self.name, Key=codec.to_item(key), ConsistentRead=consistent
        )
        item = response.get("Item")
        return codec.from_item(item) if item else None

    # A conditional single write that botocore retries (its answer timed out) may find its
    # own first attempt in place and fail its condition: a create would answer "already
    # exists", a versioned write "changed meanwhile", though the write was saved. Such a write
    # asks for the item its condition saw, and a retried failure that shows the write landed
    # is taken as the success it was. (Transactions need none of this: botocore gives each a
    # ClientRequestToken, which makes its retry idempotent.)

    def put(
        self, item: Item, *, condition: str | None = None, expr: Expression | None = None
    ) -> None:
        """Write `item`; raise ConditionFailed when `condition` is false."""
        request = self.put_action(item, condition=condition, expr=expr)["Put"]
        try:
            self._call("put_item", **_seeing_the_item(request))
        except ConditionFailed as failed:
            if not (failed.retried and failed.stored == request["Item"]):
                raise

    def update(
        self,
        key: Key,
        *,
        update: str,
        expr: Expression,
        condition: str | None = None,
        return_values: str = "ALL_NEW",
        landed: Callable[[Item], bool] | None = None,
    ) -> Item:
        """Apply an update expression (SET, ADD, REMOVE...) and return the requested values.

        `landed` tells, from the stored item, whether it is this update's result: a retried
        attempt whose condition failed on such an item returns it as the new values."""
        request = self.update_action(key, update=update, expr=expr, condition=condition)["Update"]
        try:
            response = self._call(
                "update_item", ReturnValues=return_values, **_seeing_the_item(request)
            )
        except ConditionFailed as failed:
            if failed.retried and failed.stored and landed and return_values == "ALL_NEW":
                stored = codec.from_item(failed.stored)
                if landed(stored):
                    return stored
            raise
        return codec.from_item(response.get("Attributes", {}))

    def delete(
        self, key: Key, *, condition: str | None = None, expr: Expression | None = None
    ) -> Item | None:
        """Delete the item at `key` and return what it held (None if there was nothing, or if
        a retried attempt found it already deleted, by its own earlier attempt)."""
        request = self.delete_action(key, condition=condition, expr=expr)["Delete"]
        try:
            response = self._call(
                "delete_item", ReturnValues="ALL_OLD", **_seeing_the_item(request)
            )
        except ConditionFailed as failed:
            if failed.retried and failed.stored is None:
                return None
            raise
        old = response.get("Attributes")
        return codec.from_item(old) if old else None

    def query(
        self,
        *,
        key_condition: str,
        expr: Expression,
        index: str | None = None,
        limit: int | None = None,
        forward: bool = True,
        cursor_token: str | None = None,
        filter_expression: str | None = None,
        consistent: bool = False,
        projection: str | None = None,
    ) -> Page:
        """One page of a key-condition query, with an opaque cursor to the next page.

        `projection` (a ProjectionExpression) trims what is returned, not what is billed:
        DynamoDB charges for the whole items it reads."""
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": key_condition,
            "ScanIndexForward": forward,
        }
        expr.apply(request)
        if index:
            request["IndexName"] = index
        if filter_expression:
            request["FilterExpression"] = filter_expression
        if consistent:
            request["ConsistentRead"] = True
        if projection:
            request["ProjectionExpression"] = projection
        fingerprint = cursor.query_fingerprint(
            {
                "index": index,
                "key": key_condition,
                "filter": filter_expression,
                "names": expr.names,
                "values": request.get("ExpressionAttributeValues"),
                "forward": forward,
            }
        )
        if cursor_token:
            request["ExclusiveStartKey"] = cursor.decode(
                cursor_token, fingerprint=fingerprint, secret=self._cursor_secret
            )
        if limit is not None:
            request["Limit"] = limit
        response = self._call("query", **request)
        items = [codec.from_item(item) for item in response.get("Items", [])]
        last_key = response.get("LastEvaluatedKey")
        next_token = (
            cursor.encode(last_key, fingerprint=fingerprint, secret=self._cursor_secret)
            if last_key
            else None
        )
        return Page(
            items=items,
            next_cursor=next_token,
            query_id=fingerprint,
            index=index,
            last_key=last_key,
            scanned=int(response.get("ScannedCount", len(items))),
        )

    def query_all(
        self,
        *,
        key_condition: str,
        expr: Expression,
        index: str | None = None,
        filter_expression: str | None = None,
        consistent: bool = False,
        projection: str | None = None,
    ) -> Iterator[Item]:
        """Every item a query matches, one page (one request, up to 1 MB read) at a time, as
        the caller consumes them: stop iterating and no further page is read."""
        token: str | None = None
        while True:
            page = self.query(
                key_condition=key_condition,
                expr=expr,
                index=index,
                cursor_token=token,
                filter_expression=filter_expression,
                consistent=consistent,
                projection=projection,
            )
            yield from page.items
            token = page.next_cursor
            if token is None:
                return

    def resume_cursor(
        self, page: Page, *, after: Item | None = None, state: dict[str, Any] | None = None
    ) -> str | None:
        """A cursor resuming `page`'s query right after `after` (one of its items; by default
        where DynamoDB stopped, None at the end), carrying `state` (read back by `cursor_state`)."""
        if after is None:
            last_key = page.last_key
        else:
            names = [a["AttributeName"] for a in schema.KEY_SCHEMA]
            for index in schema.GLOBAL_SECONDARY_INDEXES:
                if index["IndexName"] == page.index:
                    names += [a["AttributeName"] for a in index["KeySchema"]]
            last_key = codec.to_item({name: after[name] for name in names})
        if not last_key:
            return None
        return cursor.encode(
            last_key, fingerprint=page.query_id, secret=self._cursor_secret, state=state
        )

    def cursor_state(self, cursor_token: str) -> dict[str, Any]:
        """The state signed into a cursor by `resume_cursor` (400 if the cursor is not genuine)."""
        return cursor.state(cursor_token, secret=self._cursor_secret)

    def transact_write(self, actions: list[dict[str, Any]]) -> None:
        """Apply up to 100 actions atomically (all or nothing).

        Build the actions with `put_action`, `update_action` and `delete_action`. A false
        condition raises ConditionFailed with per-action reasons.
        """
        self._call("transact_write_items", TransactItems=actions)

    def put_action(
        self, item: Item, *, condition: str | None = None, expr: Expression | None = None
    ) -> dict[str, Any]:
        """A `Put` for `transact_write` (also the request of `put`)."""
        request: dict[str, Any] = {"TableName": self.name, "Item": codec.to_item(item)}
        if condition:
            request["ConditionExpression"] = condition
        if expr:
            expr.apply(request)
        return {"Put": request}

    def update_action(
        self, key: Key, *, update: str, expr: Expression, condition: str | None = None
    ) -> dict[str, Any]:
        """An `Update` for `transact_write` (also the request of `update`)."""
        request: dict[str, Any] = {
            "TableName": self.name,
            "Key": codec.to_item(key),
            "UpdateExpression": update,
        }
        if condition:
            request["ConditionExpression"] = condition
        expr.apply(request)
        return {"Update": request}

    def delete_action(
        self, key: Key, *, condition: str | None = None, expr: Expression | None = None
    ) -> dict[str, Any]:
        """A `Delete` for `transact_write` (also the request of `delete`)."""
        request: dict[str, Any] = {"TableName": self.name, "Key": codec.to_item(key)}
        if condition:
            request["ConditionExpression"] = condition
        if expr:
            expr.apply(request)
        return {"Delete": request}


def _seeing_the_item(request: dict[str, Any]) -> dict[str, Any]:
    """`request`, asking for the item its condition saw when that condition fails."""
    if "ConditionExpression" in request:
        return {**request, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    return request


def configured_table(name: str | None = None) -> Table:
    """The table the environment names (or `name`, in the environment's account and region),
    for commands run outside the app (seed, reindex)."""
    from portfolio_api import aws
    from portfolio_api.config import Settings

    settings = Settings()
    return Table(
        client=aws.dynamodb_client(settings, patient=True),
        name=name or settings.dynamodb_table_name,
        cursor_secret=settings.cursor_secret.get_secret_value().encode(),
    )
