"""The thin table client against moto: conditions, atomic updates, pagination, transactions,
and DynamoDB's failure modes turned into the app's errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from portfolio_api.db.table import ConditionFailed, Expression, Table
from portfolio_api.errors import BadRequest, PayloadTooLarge, ServiceUnavailable
from tests.visitors.fakes import CountingClient

NEW = "attribute_not_exists(PK)"


def test_put_then_get(table: Table) -> None:
    table.put({"PK": "A", "SK": "1", "title": "hello", "n": 3})
    assert table.get({"PK": "A", "SK": "1"}) == {"PK": "A", "SK": "1", "title": "hello", "n": 3}
    assert table.get({"PK": "A", "SK": "2"}) is None


def test_conditional_put_refuses_to_overwrite(table: Table) -> None:
    table.put({"PK": "A", "SK": "1", "v": 1}, condition=NEW)
    with pytest.raises(ConditionFailed):
        table.put({"PK": "A", "SK": "1", "v": 2}, condition=NEW)
    assert table.get({"PK": "A", "SK": "1"}) == {"PK": "A", "SK": "1", "v": 1}


def test_update_add_is_atomic_and_returns_new_values(table: Table) -> None:
    expr = Expression(names={"#c": "count"}, values={":n": 5})
    assert table.update({"PK": "C", "SK": "x"}, update="ADD #c :n", expr=expr)["count"] == 5
    assert table.update({"PK": "C", "SK": "x"}, update="ADD #c :n", expr=expr)["count"] == 10


def test_update_with_false_condition_raises(table: Table) -> None:
    with pytest.raises(ConditionFailed):
        table.update(
            {"PK": "C", "SK": "x"},
            update="SET v = :v",
            condition="attribute_exists(PK)",
            expr=Expression(values={":v": 1}),
        )
    assert table.get({"PK": "C", "SK": "x"}) is None


def test_delete_returns_the_old_item(table: Table) -> None:
    table.put({"PK": "D", "SK": "1", "v": 1})
    assert table.delete({"PK": "D", "SK": "1"}) == {"PK": "D", "SK": "1", "v": 1}
    assert table.delete({"PK": "D", "SK": "1"}) is None


def _fill(table: Table, pk: str, count: int) -> None:
    for i in range(count):
        table.put({"PK": pk, "SK": f"{i:04d}", "GSI1PK": f"{pk}-IDX", "GSI1SK": f"{i:04d}"})


def _query(table: Table, pk: str, cursor_token: str | None, **kw: Any) -> Any:
    return table.query(
        key_condition="PK = :pk",
        expr=Expression(values={":pk": pk}),
        limit=10,
        cursor_token=cursor_token,
        **kw,
    )


def test_query_pages_through_every_item_once_with_cursors(table: Table) -> None:
    _fill(table, "P", 25)
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = _query(table, "P", token)
        pages += 1
        seen.extend(item["SK"] for item in page.items)
        token = page.next_cursor
        if token is None:
            break
    assert seen == [f"{i:04d}" for i in range(25)]
    assert pages == 3


def test_query_on_the_index_in_descending_order(table: Table) -> None:
    _fill(table, "P", 5)
    page = table.query(
        key_condition="GSI1PK = :pk",
        expr=Expression(values={":pk": "P-IDX"}),
        index="GSI1",
        forward=False,
    )
    assert [item["GSI1SK"] for item in page.items] == ["0004", "0003", "0002", "0001", "0000"]
    assert page.next_cursor is None


def test_a_cursor_resumes_right_after_any_item_of_the_page(table: Table) -> None:
    _fill(table, "P", 6)
    query = {
        "key_condition": "GSI1PK = :pk",
        "expr": Expression(values={":pk": "P-IDX"}),
        "index": "GSI1",
        "forward": False,
    }
    page = table.query(**query, limit=4)
    token = table.resume_cursor(page, after=page.items[1], state={"total": 6})
    assert token is not None
    assert table.cursor_state(token) == {"total": 6}
    rest = table.query(**query, cursor_token=token)
    assert [item["SK"] for item in rest.items] == ["0003", "0002", "0001", "0000"]
    assert table.resume_cursor(rest) is None


def test_a_cursor_cannot_be_replayed_against_another_partition(table: Table) -> None:
    _fill(table, "P", 15)
    _fill(table, "SECRET", 15)
    token = _query(table, "P", None).next_cursor
    assert token is not None
    with pytest.raises(BadRequest):
        _query(table, "SECRET", token)


def test_transaction_is_all_or_nothing(table: Table) -> None:
    table.put({"PK": "T", "SK": "taken"})
    with pytest.raises(ConditionFailed) as failure:
        table.transact_write(
            [
                table.put_action({"PK": "T", "SK": "new"}, condition=NEW),
                table.put_action({"PK": "T", "SK": "taken"}, condition=NEW),
            ]
        )
    assert failure.value.reasons == ["None", "ConditionalCheckFailed"]
    assert table.get({"PK": "T", "SK": "new"}) is None


def test_transaction_commits_every_action(table: Table) -> None:
    table.transact_write(
        [
            table.put_action({"PK": "T", "SK": "a"}, condition=NEW),
            table.update_action(
                {"PK": "T", "SK": "n"},
                update="ADD #c :one",
                expr=Expression(names={"#c": "count"}, values={":one": 1}),
            ),
        ]
    )
    assert table.get({"PK": "T", "SK": "a"}) is not None
    assert table.get({"PK": "T", "SK": "n"}) == {"PK": "T", "SK": "n", "count": 1}


def test_an_item_over_400_kb_is_payload_too_large(table: Table) -> None:
    with pytest.raises(PayloadTooLarge):
        table.put({"PK": "BIG", "SK": "1", "blob": "x" * 410_000})


class _FailingClient:
    """A DynamoDB client whose every call fails with the given error code."""

    def __init__(self, code: str, **extra: Any) -> None:
        self.code = code
        self.extra = extra

    def __getattr__(self, operation: str) -> Any:
        def fail(**_: Any) -> None:
            raise ClientError(
                {"Error": {"Code": self.code, "Message": "injected"}, **self.extra}, operation
            )

        return fail


@pytest.mark.parametrize(
    "code",
    ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"],
)
def test_throttling_that_outlives_retries_is_service_unavailable(code: str) -> None:
    table = Table(client=_FailingClient(code), name="t", cursor_secret=b"s")
    with pytest.raises(ServiceUnavailable) as failure:
        table.get({"PK": "A", "SK": "1"})
    assert failure.value.headers == {"Retry-After": "1"}


@pytest.mark.parametrize("code", ["InternalServerError", "ServiceUnavailable"])
def test_dynamodb_service_failures_are_service_unavailable(code: str) -> None:
    table = Table(client=_FailingClient(code), name="t", cursor_secret=b"s")
    with pytest.raises(ServiceUnavailable) as failure:
        table.get({"PK": "A", "SK": "1"})
    assert failure.value.headers == {"Retry-After": "1"}


def test_unknown_client_errors_propagate_unchanged() -> None:
    table = Table(client=_FailingClient("AccessDeniedException"), name="t", cursor_secret=b"s")
    with pytest.raises(ClientError):
        table.get({"PK": "A", "SK": "1"})


def test_query_all_reads_page_after_page_and_only_as_far_as_the_caller_goes(table: Table) -> None:
    blob = "x" * 300_000  # five items of 300 KB: two 1 MB pages
    for i in range(5):
        table.put({"PK": "BIG", "SK": f"{i}", "blob": blob})
    counting = CountingClient(table.client)
    reader = Table(client=counting, name=table.name, cursor_secret=b"test")
    everything = reader.query_all(key_condition="PK = :pk", expr=Expression(values={":pk": "BIG"}))
    assert [item["SK"] for item in everything] == ["0", "1", "2", "3", "4"]
    assert counting.calls["query"] == 2
    counting.reset()
    first = next(reader.query_all(key_condition="PK = :pk", expr=Expression(values={":pk": "BIG"})))
    assert (first["SK"], counting.calls["query"]) == ("0", 1)
