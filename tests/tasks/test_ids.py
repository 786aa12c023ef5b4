"""Task ids are ULIDs: 26 Crockford base-32 characters that sort by creation time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portfolio_api.tasks.service import TASK_ID, new_task_id

T0 = datetime(2025, 3, 7, 9, 0, tzinfo=UTC)


def test_ids_are_26_crockford_characters() -> None:
    task_id = new_task_id(T0)
    assert len(task_id) == 26
    assert TASK_ID.fullmatch(task_id)


def test_later_ids_sort_after_earlier_ones() -> None:
    ids = [new_task_id(T0 + timedelta(milliseconds=ms)) for ms in (0, 1, 1000, 86_400_000)]
    assert ids == sorted(ids)


def test_ids_of_the_same_millisecond_differ() -> None:
    assert len({new_task_id(T0) for _ in range(100)}) == 100


def test_the_time_prefix_is_the_ulid_timestamp() -> None:
    # 2025-03-07T09:00:00Z is 1741338000000 ms since the epoch.
    prefix = "".join(
        "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(1741338000000 >> s) & 31] for s in range(45, -1, -5)
    )
    assert new_task_id(T0)[:10] == prefix
