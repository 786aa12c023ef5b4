"""Daily salts: one per UTC day across all containers, created race-free, cached for the day."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from portfolio_api.db import keys
from portfolio_api.db.table import Table
from portfolio_api.visitors.identity import Caller, DailySalts, visitor_hash
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
    assert dict(counting.calls) == {"get_item": 1, "put_item": 1}
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
