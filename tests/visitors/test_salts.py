"""Daily salts: one per UTC day across all containers, created race-free, cached for the day."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from portfolio_api.db import keys
from portfolio_api.db.table import Table
from portfolio_api.visitors.identity import Caller, DailySalts, visitor_hash
from tests.hardening.faults import FailingProxy, dynamodb_error
from tests.visitors.conftest import FIREFOX
from tests.visitors.fakes import CountingClient, SerialClient

DAY = date(2025, 3, 7)


def test_a_stored_salt_is_used_rather_than_replaced(table: Table) -> None:
    table.put({**keys.daily_salt(DAY), "salt": "from-another-container", "expiresAt": 1})
    assert DailySalts().for_day(table=table, day=DAY) == "from-another-container"


def test_containers_racing_for_the_first_salt_of_the_day_agree(table: Table) -> None:
    # Each request atomic, as in DynamoDB (in-process moto is not thread-safe: unserialised,
    # two conditional puts of the salt could both succeed under load).
    serial = Table(client=SerialClient(table.client), name=table.name, cursor_secret=b"x")
    containers = [DailySalts() for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        salts = set(pool.map(lambda c: c.for_day(table=serial, day=DAY), containers))
    assert len(salts) == 1
    assert table.get(keys.daily_salt(DAY))["salt"] in salts  # type: ignore[index]


def test_the_salt_is_read_once_per_container_and_day(table: Table) -> None:
    counting = CountingClient(table.client)
    counted = Table(client=counting, name=table.name, cursor_secret=b"x")
    salts = DailySalts()
    first = salts.for_day(table=counted, day=DAY)
    assert salts.for_day(table=counted, day=DAY) == first
    # the day's first salt: read, create, and delete the one past its lifetime
    assert dict(counting.calls) == {"get_item": 1, "put_item": 1, "delete_item": 1}
    assert salts.for_day(table=counted, day=date(2025, 3, 8)) != first


def test_the_hash_depends_on_salt_address_and_browser_and_hides_them() -> None:
    caller = Caller(ip="203.0.113.10", user_agent=FIREFOX)
    digest = visitor_hash(salt="a", caller=caller)
    assert len(digest) == 32
    assert "203.0.113.10" not in digest
    assert digest == visitor_hash(salt="a", caller=caller)
    assert digest != visitor_hash(salt="b", caller=caller)
    assert digest != visitor_hash(salt="a", caller=Caller(ip="203.0.113.11", user_agent=FIREFOX))


def test_the_caller_repr_never_shows_the_address() -> None:
    assert "203.0.113.10" not in repr(Caller(ip="203.0.113.10", user_agent=FIREFOX))


def test_the_container_that_opens_a_day_deletes_the_salt_past_its_lifetime(
    table: Table,
) -> None:
    # TTL deletes an expired item within days, not at its expiresAt; until a salt is gone,
    # its day's visitor hashes can be recomputed.
    for past in (date(2025, 3, 5), date(2025, 3, 6)):
        table.put({**keys.daily_salt(past), "salt": f"of {past}", "expiresAt": 1})

    DailySalts().for_day(table=table, day=DAY)

    assert table.get(keys.daily_salt(date(2025, 3, 5))) is None
    # yesterday's salt lives on through today, for requests that began before midnight
    assert table.get(keys.daily_salt(date(2025, 3, 6))) is not None
    assert table.get(keys.daily_salt(DAY)) is not None


def test_a_container_that_reads_the_days_salt_deletes_nothing(table: Table) -> None:
    table.put({**keys.daily_salt(date(2025, 3, 1)), "salt": "old", "expiresAt": 1})
    table.put({**keys.daily_salt(DAY), "salt": "today's", "expiresAt": 1})
    counting = CountingClient(table.client)

    DailySalts().for_day(table=Table(client=counting, name=table.name, cursor_secret=b"x"), day=DAY)

    assert dict(counting.calls) == {"get_item": 1}
    assert table.get(keys.daily_salt(date(2025, 3, 1))) is not None


def test_a_failure_to_delete_old_salts_does_not_cost_the_visit(table: Table) -> None:
    table.put({**keys.daily_salt(date(2025, 3, 5)), "salt": "old", "expiresAt": 1})
    throttled = dynamodb_error(table.client, "ThrottlingException", "DeleteItem")
    failing = FailingProxy(table.client, fail_on={"delete_item": throttled})
    salts = DailySalts()

    salt = salts.for_day(table=Table(client=failing, name=table.name, cursor_secret=b"x"), day=DAY)

    assert failing.calls == {"delete_item": 1}
    assert table.get(keys.daily_salt(DAY))["salt"] == salt  # type: ignore[index]
    assert table.get(keys.daily_salt(date(2025, 3, 5))) is not None  # left to TTL
