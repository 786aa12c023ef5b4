"""Export the whole table to a backup file, and import one back, idempotently.

Export is the code base's one Scan; import compares each item of the file with the table
(BatchGetItem) and writes only the ones that differ (BatchWriteItem), so importing the same
file twice writes nothing the second time. Neither carries the visitors' daily salts and
de-dup markers (`keys.is_visitor_trace`): a file kept for years must not let anyone recompute
who visited. docs/backup.md explains the choices.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO, TypeVar

from portfolio_api.backup import jsonl
from portfolio_api.backup.jsonl import KEY_ATTRIBUTES, WireItem
from portfolio_api.backup.progress import ProgressFactory, silent
from portfolio_api.db import keys

BATCH_GET_SIZE = 100  # BatchGetItem's limit
BATCH_WRITE_SIZE = 25  # BatchWriteItem's limit
MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 0.05
BACKOFF_CAP_SECONDS = 5.0

T = TypeVar("T")


class BackupError(Exception):
    """The table would not take or give what was asked, even after retries."""


def _chunks(values: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _backoff(attempt: int) -> None:
    # Full jitter: spreads the retries of unprocessed items when the table is throttling.
    time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)))  # noqa: S311


def _scan_segment(
    client: Any,
    *,
    table: str,
    segment: int,
    segments: int,
    page_size: int | None,
    sink: Callable[[list[WireItem]], None],
) -> None:
    # The one Scan of the code base, and a legitimate one: an offline admin tool that reads
    # every item once. No request path scans (docs/data-model.md). ConsistentRead, so each
    # page reflects every write acknowledged before it was read.
    request: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    if segments > 1:
        request.update(Segment=segment, TotalSegments=segments)
    if page_size is not None:
        request["Limit"] = page_size
    while True:
        response = client.scan(**request)
        sink(response.get("Items", []))
        last_key = response.get("LastEvaluatedKey")
        if not last_key:
            return
        request["ExclusiveStartKey"] = last_key


def export_table(
    *,
    client: Any,
    table: str,
    out: TextIO,
    segments: int = 1,
    page_size: int | None = None,
    progress: ProgressFactory = silent,
) -> int:
    """Write every item of `table` but the visitor traces to `out` as a backup file; return
    the number of items written.

    With `segments` > 1 the segments of a parallel Scan are read by as many threads.
    """
    if segments < 1:
        raise ValueError("segments must be at least 1")
    out.write(jsonl.header_line(table=table))
    bar = progress(None)
    lock = threading.Lock()
    count = 0

    def write(items: list[WireItem]) -> None:
        nonlocal count
        lines = [jsonl.item_line(item) for item in items if not _is_visitor_trace(item)]
        with lock:
            out.writelines(lines)
            count += len(lines)
            bar.update(len(lines))

    def scan(segment: int) -> None:
        _scan_segment(
            client,
            table=table,
            segment=segment,
            segments=segments,
            page_size=page_size,
            sink=write,
        )

    try:
        if segments == 1:
            scan(0)
        else:
            with ThreadPoolExecutor(max_workers=segments, thread_name_prefix="scan") as pool:
                list(pool.map(scan, range(segments)))  # re-raises a failed segment's error
    finally:
        bar.close()
    out.write(jsonl.trailer_line(item_count=count))
    return count


@dataclass(frozen=True)
class Change:
    """An item the import creates or overwrites; `attributes` are those that differ."""

    action: Literal["create", "update"]
    key: dict[str, str]
    attributes: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for the dry-run report."""
        key = " ".join(f"{name}={value}" for name, value in self.key.items())
        changed = f" ({', '.join(self.attributes)})" if self.attributes else ""
        return f"{self.action} {key}{changed}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    source_table: str
    exported_at: str
    dry_run: bool
    items: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Visitor traces (salts, de-dup markers) in a file of an earlier release: never written."""
    changes: list[Change] = field(default_factory=list)
    """Every change, recorded in dry runs only."""

    @property
    def written(self) -> int:
        """Items written (or that would be)."""
        return self.created + self.updated


def same_value(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two attribute values are equal (set members in any order)."""
    ((kind_a, value_a),) = a.items()
    ((kind_b, value_b),) = b.items()
    if kind_a != kind_b:
        return False
    if kind_a in ("SS", "NS", "BS"):
        return len(value_a) == len(value_b) and set(value_a) == set(value_b)
    if kind_a == "M":
        return value_a.keys() == value_b.keys() and all(
            same_value(value_a[name], value_b[name]) for name in value_a
        )
    if kind_a == "L":
        return len(value_a) == len(value_b) and all(map(same_value, value_a, value_b))
    return bool(value_a == value_b)


def differing_attributes(old: WireItem, new: WireItem) -> tuple[str, ...]:
    """Names of the attributes that `new` adds, removes or changes."""
    return tuple(
        sorted(
            name
            for name in old.keys() | new.keys()
            if name not in old or name not in new or not same_value(old[name], new[name])
        )
    )


def _is_visitor_trace(item: WireItem) -> bool:
    return keys.is_visitor_trace(str(item["PK"]["S"]))


def _key(item: WireItem) -> dict[str, Any]:
    return {name: item[name] for name in KEY_ATTRIBUTES}


def _batch_get(client: Any, table: str, items: list[WireItem]) -> dict[tuple[str, ...], WireItem]:
    pending: dict[str, Any] = {
        table: {"Keys": [_key(item) for item in items], "ConsistentRead": True}
    }
    found: dict[tuple[str, ...], WireItem] = {}
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            _backoff(attempt)
        response = client.batch_get_item(RequestItems=pending)
        for existing in response.get("Responses", {}).get(table, []):
            found[jsonl.key_of(existing)] = existing
        pending = response.get("UnprocessedKeys") or {}
        if not pending:
            return found
    raise BackupError(f"{table} left keys unread after {MAX_ATTEMPTS} attempts; retry later")


def batch_write(*, client: Any, table: str, items: list[WireItem]) -> None:
    """Put up to 25 items, retrying DynamoDB's UnprocessedItems with backoff."""
    pending: dict[str, Any] = {table: [{"PutRequest": {"Item": item}} for item in items]}
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            _backoff(attempt)
        response = client.batch_write_item(RequestItems=pending)
        pending = response.get("UnprocessedItems") or {}
        if not pending:
            return
    raise BackupError(
        f"{table} left items unwritten after {MAX_ATTEMPTS} attempts; the import is partial "
        "but safe to run again"
    )


def import_file(
    *,
    client: Any,
    table: str,
    path: Path,
    dry_run: bool = False,
    progress: ProgressFactory = silent,
) -> ImportReport:
    """Put every item of the backup at `path` into `table` unless it is already identical.

    The whole file is checked first: a malformed one raises BackupFormatError before anything
    is written. Items in the table that are not in the file are left alone, and so are the
    visitors' salts and de-dup markers in files of earlier releases: another day's or another
    table's salt would make today's visitors count twice.
    """
    header, total = jsonl.check(path)
    report = ImportReport(
        source_table=header.table, exported_at=header.exported_at, dry_run=dry_run
    )
    _, items = jsonl.read(path)
    bar = progress(total)
    try:
        for whole in _chunks(items, BATCH_GET_SIZE):
            chunk = [item for item in whole if not _is_visitor_trace(item)]
            report.skipped += len(whole) - len(chunk)
            report.items += len(whole)
            bar.update(len(whole))
            if not chunk:
                continue
            existing = _batch_get(client, table, chunk)
            to_write: list[WireItem] = []
            for item in chunk:
                old = existing.get(jsonl.key_of(item))
                attributes = differing_attributes(old, item) if old is not None else ()
                if old is not None and not attributes:
                    report.unchanged += 1
                    continue
                to_write.append(item)
                if old is None:
                    report.created += 1
                else:
                    report.updated += 1
                if dry_run:
                    action: Literal["create", "update"] = "create" if old is None else "update"
                    key = {name: value["S"] for name, value in _key(item).items()}
                    report.changes.append(Change(action, key, attributes))
            if not dry_run:
                for batch in _chunks(to_write, BATCH_WRITE_SIZE):
                    batch_write(client=client, table=table, items=batch)
    finally:
        bar.close()
    return report
