"""The emulator's data as one JSON file: the table's items and the bucket's objects.

Items are kept in DynamoDB's typed JSON (numbers stay exact strings, binaries base64) and
read straight from moto's in-process backend rather than through a table scan. Objects are
read and written through the S3 API.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portfolio_api.backup import jsonl
from portfolio_api.local.data_dir import write_private
from portfolio_api.local.emulator import BACKEND_LOCK, REGION

FORMAT_VERSION = 1
BATCH_SIZE = 25  # BatchWriteItem's limit

logger = logging.getLogger("portfolio_api.local")


class SnapshotError(Exception):
    """A snapshot file that cannot be read back."""


@dataclass(frozen=True)
class StoredObject:
    """One S3 object with what is needed to put it back."""

    key: str
    body: bytes
    content_type: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """Everything the emulator holds that outlives a restart."""

    items: list[dict[str, Any]]
    objects: list[StoredObject]

    def to_json(self) -> bytes:
        """The file's content."""
        document = {
            "format": FORMAT_VERSION,
            "savedAt": datetime.now(UTC).isoformat(timespec="seconds"),
            "dynamodb": {"items": self.items},
            "s3": {
                "objects": [
                    {
                        "key": obj.key,
                        "contentType": obj.content_type,
                        "metadata": obj.metadata,
                        "body": base64.b64encode(obj.body).decode(),
                    }
                    for obj in self.objects
                ]
            },
        }
        return json.dumps(document, separators=(",", ":"), default=_encode_bytes).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Snapshot:
        """Parse a file written by `to_json`, checked whole: SnapshotError says what is wrong,
        so that nothing is restored from a file that is not one."""
        try:
            document = json.loads(data)
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
            raise SnapshotError(f"not JSON ({error})") from None
        if not isinstance(document, dict):
            raise SnapshotError(f"expected a JSON object, found {type(document).__name__}")
        if "format" not in document:
            raise SnapshotError('no "format" field: not a snapshot written by portfolio-api dev')
        if document.get("format") != FORMAT_VERSION:
            raise SnapshotError(
                f"unknown snapshot format {document.get('format')!r} (this version reads "
                f"{FORMAT_VERSION})"
            )
        items = _section(document, "dynamodb", "items")
        for index, item in enumerate(items):
            _check_item(item, f"dynamodb.items[{index}]")
        _check_unique_keys(items)
        objects = [
            _stored_object(obj, f"s3.objects[{index}]")
            for index, obj in enumerate(_section(document, "s3", "objects"))
        ]
        return cls(items=items, objects=objects)


def _section(document: dict[str, Any], name: str, entries: str) -> list[Any]:
    section = document.get(name)
    if not isinstance(section, dict):
        raise SnapshotError(f"{name} is missing or not an object")
    found = section.get(entries)
    if not isinstance(found, list):
        raise SnapshotError(f"{name}.{entries} is missing or not a list")
    return found


def _check_item(item: object, where: str) -> None:
    try:
        jsonl.wire_item(item)  # what DynamoDB would refuse halfway through a restore
    except ValueError as error:
        raise SnapshotError(f"{where}: {error}") from None


def _check_unique_keys(items: list[dict[str, Any]]) -> None:
    seen: set[tuple[str, ...]] = set()
    for index, item in enumerate(items):
        key = jsonl.key_of(item)
        if key in seen:
            raise SnapshotError(f"dynamodb.items[{index}]: a second item with the key {key}")
        seen.add(key)


def _stored_object(obj: object, where: str) -> StoredObject:
    if not isinstance(obj, dict):
        raise SnapshotError(f"{where}: expected an object")
    key, body = obj.get("key"), obj.get("body")
    content_type, metadata = obj.get("contentType"), obj.get("metadata") or {}
    if not isinstance(key, str) or not key:
        raise SnapshotError(f"{where}: key must be a non-empty string")
    if not isinstance(body, str):
        raise SnapshotError(f"{where}: body must be a base64 string")
    try:
        decoded = base64.b64decode(body, validate=True)
    except binascii.Error as error:
        raise SnapshotError(f"{where}: body is not valid base64 ({error})") from None
    if content_type is not None and not isinstance(content_type, str):
        raise SnapshotError(f"{where}: contentType must be a string")
    if not isinstance(metadata, dict) or not all(
        isinstance(name, str) and isinstance(value, str) for name, value in metadata.items()
    ):
        raise SnapshotError(f"{where}: metadata must map strings to strings")
    return StoredObject(key=key, body=decoded, content_type=content_type, metadata=metadata)


def _encode_bytes(value: object) -> str:
    # moto keeps binaries nested in maps and lists as raw bytes; the wire format is base64.
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def table_items(table_name: str, *, region: str = REGION) -> list[dict[str, Any]]:
    """Every item of the emulated table, in DynamoDB's typed JSON, read from moto's backend."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    with BACKEND_LOCK:  # not during a call: never half a transaction
        table = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(table_name)
        items = [item.to_json()["Attributes"] for item in table.all_items()]
    # Round-trip through JSON so that nested bytes become base64 like the rest.
    loaded: list[dict[str, Any]] = json.loads(json.dumps(items, default=_encode_bytes))
    return loaded


def _object_listing(s3: Any, bucket: str) -> list[dict[str, Any]]:
    listing: list[dict[str, Any]] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        listing.extend(page.get("Contents", []))
    return listing


def capture(*, s3: Any, table_name: str, bucket_name: str) -> Snapshot:
    """Read the table's items and the bucket's objects."""
    objects = []
    for entry in _object_listing(s3, bucket_name):
        response = s3.get_object(Bucket=bucket_name, Key=entry["Key"])
        objects.append(
            StoredObject(
                key=entry["Key"],
                body=response["Body"].read(),
                content_type=response.get("ContentType"),
                metadata=response.get("Metadata", {}),
            )
        )
    return Snapshot(items=table_items(table_name), objects=objects)


def fingerprint(*, s3: Any, table_name: str, bucket_name: str) -> str:
    """A cheap digest that changes whenever an item or an object does (no object bodies)."""
    listing = [(o["Key"], o["ETag"], o["Size"]) for o in _object_listing(s3, bucket_name)]
    state = json.dumps([table_items(table_name), listing], sort_keys=True)
    return hashlib.sha256(state.encode()).hexdigest()


def save(path: Path, snapshot: Snapshot) -> None:
    """Write the snapshot atomically (a crash mid-write leaves the previous one intact)."""
    write_private(path, snapshot.to_json())


def load(path: Path) -> Snapshot | None:
    """The snapshot stored at `path`, or None when there is none yet.

    SnapshotError names the file and what is wrong with it; the file is left as it is.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SnapshotError(
            f"{path} cannot be read ({error.strerror}); fix it, or move it aside to start empty"
        ) from error
    try:
        return Snapshot.from_json(data)
    except SnapshotError as error:
        raise SnapshotError(
            f"{path} cannot be read: {error}; it was left as it is: fix it, or move it aside to "
            "start empty"
        ) from error


def _binary_to_bytes(value: dict[str, Any]) -> dict[str, Any]:
    """Typed JSON as botocore takes it: B and BS as bytes rather than base64 text."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner)}
    if kind == "BS":
        return {"BS": [base64.b64decode(member) for member in inner]}
    if kind == "M":
        return {"M": {name: _binary_to_bytes(member) for name, member in inner.items()}}
    if kind == "L":
        return {"L": [_binary_to_bytes(member) for member in inner]}
    return value


def restore(
    snapshot: Snapshot, *, dynamodb: Any, s3: Any, table_name: str, bucket_name: str
) -> None:
    """Put every saved item and object back into an empty table and bucket."""
    items = [
        {name: _binary_to_bytes(value) for name, value in item.items()} for item in snapshot.items
    ]
    for start in range(0, len(items), BATCH_SIZE):
        batch = items[start : start + BATCH_SIZE]
        pending = {table_name: [{"PutRequest": {"Item": item}} for item in batch]}
        while pending:
            response = dynamodb.batch_write_item(RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}
    for obj in snapshot.objects:
        extra = {"ContentType": obj.content_type} if obj.content_type else {}
        s3.put_object(
            Bucket=bucket_name, Key=obj.key, Body=obj.body, Metadata=obj.metadata, **extra
        )


class Autosaver:
    """Saves the snapshot now and then, and only when the data changed since the last save."""

    def __init__(
        self, *, path: Path, s3: Any, table_name: str, bucket_name: str, interval: float = 30.0
    ) -> None:
        self._path = path
        self._s3 = s3
        self._table_name = table_name
        self._bucket_name = bucket_name
        self._interval = interval
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="snapshot-autosave", daemon=True)
        self._saved: str | None = None

    def mark_saved(self) -> None:
        """Take the current data as already saved (e.g. right after a restore)."""
        with self._lock:
            self._saved = self._fingerprint()

    def start(self) -> None:
        """Begin saving every `interval` seconds."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the periodic saves (waits for one that is under way)."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def save_if_changed(self) -> bool:
        """Write a snapshot when the data differs from the last one written; True if written."""
        with self._lock:
            current = self._fingerprint()
            if current == self._saved:
                return False
            save(
                self._path,
                capture(s3=self._s3, table_name=self._table_name, bucket_name=self._bucket_name),
            )
            self._saved = current
            return True

    def _fingerprint(self) -> str:
        return fingerprint(s3=self._s3, table_name=self._table_name, bucket_name=self._bucket_name)

    def _loop(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                self.save_if_changed()
            except Exception:  # a failed periodic save must not end the dev server
                logger.exception("periodic snapshot failed; the next one will retry")
