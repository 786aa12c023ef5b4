"""A snapshot carries the table's items and the bucket's objects across emulator restarts."""

from __future__ import annotations

import stat
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from portfolio_api.db import schema
from portfolio_api.local import snapshot
from portfolio_api.local.emulator import client

TABLE = "portfolio-snapshot-test"
BUCKET = "portfolio-snapshot-test-files"

ITEMS: list[dict[str, Any]] = [
    {
        "PK": {"S": "POST#1"},
        "SK": {"S": "META"},
        "GSI1PK": {"S": "POSTS"},
        "GSI1SK": {"S": "2025-01-01"},
        "views": {"N": "42"},
        "score": {"N": "3.14159265358979323846"},
        "big": {"N": "123456789012345678901234567890"},
        "draft": {"BOOL": False},
        "deleted": {"NULL": True},
        "tags": {"SS": ["aws", "python"]},
        "ratings": {"NS": ["1", "2.5"]},
        "hashes": {"BS": [b"\x00\x01", b"\xff"]},
        "thumbnail": {"B": b"\x89PNG\r\n"},
        "author": {"M": {"name": {"S": "Me"}, "age": {"N": "40"}, "raw": {"B": b"\x02"}}},
        "sections": {"L": [{"S": "intro"}, {"N": "7"}, {"M": {"k": {"L": []}}}]},
    },
    {"PK": {"S": "VISITORS"}, "SK": {"S": "TOTAL"}, "count": {"N": "2"}},
]
OBJECTS = [
    snapshot.StoredObject(
        key="images/a.png",
        body=bytes(range(256)),
        content_type="image/png",
        metadata={"uploaded-by": "owner"},
    ),
    snapshot.StoredObject(key="resume.pdf", body=b"%PDF-1.7", content_type="application/pdf"),
]


@pytest.fixture
def empty_resources() -> Iterator[tuple[Any, Any]]:
    """An empty moto account holding just the table and the bucket."""
    with mock_aws():
        yield _create_resources()


@pytest.fixture
def restored(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """A fresh moto account restored from the snapshot of a filled one."""
    path = _saved_copy(tmp_path)
    with mock_aws():
        dynamodb, s3 = _create_resources()
        stored = snapshot.load(path)
        assert stored is not None
        snapshot.restore(stored, dynamodb=dynamodb, s3=s3, table_name=TABLE, bucket_name=BUCKET)
        yield dynamodb, s3


def _create_resources() -> tuple[Any, Any]:
    dynamodb, s3 = client("dynamodb", None), client("s3", None)
    schema.create_table(dynamodb, TABLE)
    s3.create_bucket(Bucket=BUCKET)
    return dynamodb, s3


def _fill(dynamodb: Any, s3: Any) -> None:
    for item in ITEMS:
        dynamodb.put_item(TableName=TABLE, Item=item)
    for obj in OBJECTS:
        s3.put_object(
            Bucket=BUCKET,
            Key=obj.key,
            Body=obj.body,
            ContentType=obj.content_type,
            Metadata=obj.metadata,
        )


def _saved_copy(tmp_path: Path) -> Path:
    """Fill one moto account, snapshot it to a file and throw the account away."""
    path = tmp_path / "snapshot.json"
    with mock_aws():
        dynamodb, s3 = _create_resources()
        _fill(dynamodb, s3)
        snapshot.save(path, snapshot.capture(s3=s3, table_name=TABLE, bucket_name=BUCKET))
    return path


def _normalised(item: dict[str, Any]) -> dict[str, Any]:
    """Sets come back in any order; numbers compare by value."""
    normal: dict[str, Any] = {}
    for name, value in item.items():
        ((kind, inner),) = value.items()
        if kind in ("SS", "BS"):
            inner = sorted(inner)
        elif kind == "NS":
            inner = sorted(Decimal(n) for n in inner)
        elif kind == "N":
            inner = Decimal(inner)
        elif kind == "M":
            inner = _normalised(inner)
        normal[name] = {kind: inner}
    return normal


def test_items_round_trip_with_exact_types(restored: tuple[Any, Any]) -> None:
    dynamodb, _ = restored
    for item in ITEMS:
        key = {"PK": item["PK"], "SK": item["SK"]}
        back = dynamodb.get_item(TableName=TABLE, Key=key)["Item"]
        assert _normalised(back) == _normalised(item)


def test_restored_items_are_indexed(restored: tuple[Any, Any]) -> None:
    dynamodb, _ = restored
    found = dynamodb.query(
        TableName=TABLE,
        IndexName=schema.GSI1,
        KeyConditionExpression="GSI1PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "POSTS"}},
    )["Items"]
    assert [item["PK"]["S"] for item in found] == ["POST#1"]


def test_objects_round_trip_with_type_and_metadata(restored: tuple[Any, Any]) -> None:
    _, s3 = restored
    for obj in OBJECTS:
        response = s3.get_object(Bucket=BUCKET, Key=obj.key)
        assert response["Body"].read() == obj.body
        assert response["ContentType"] == obj.content_type
        assert response["Metadata"] == obj.metadata


def test_snapshot_file_is_owner_only_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = _saved_copy(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]


def test_missing_snapshot_loads_as_none(tmp_path: Path) -> None:
    assert snapshot.load(tmp_path / "snapshot.json") is None


def test_unreadable_snapshot_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text('{"format": 1, "dynamodb": ')
    with pytest.raises(snapshot.SnapshotError, match="cannot be read"):
        snapshot.load(path)


def test_autosaver_writes_only_when_the_data_changed(
    tmp_path: Path, empty_resources: tuple[Any, Any]
) -> None:
    dynamodb, s3 = empty_resources
    path = tmp_path / "snapshot.json"
    saver = snapshot.Autosaver(path=path, s3=s3, table_name=TABLE, bucket_name=BUCKET)
    saver.mark_saved()
    unchanged = saver.save_if_changed()
    dynamodb.put_item(TableName=TABLE, Item=ITEMS[1])
    changed = saver.save_if_changed()
    assert (unchanged, changed) == (False, True)
    stored = snapshot.load(path)
    assert stored is not None
    assert stored.items == [ITEMS[1]]


def test_autosaver_saves_changes_in_the_background(
    tmp_path: Path, empty_resources: tuple[Any, Any]
) -> None:
    dynamodb, s3 = empty_resources
    path = tmp_path / "snapshot.json"
    saver = snapshot.Autosaver(
        path=path, s3=s3, table_name=TABLE, bucket_name=BUCKET, interval=0.05
    )
    saver.mark_saved()
    saver.start()
    try:
        dynamodb.put_item(TableName=TABLE, Item=ITEMS[1])
        deadline = time.monotonic() + 10
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        saver.stop()
    stored = snapshot.load(path)
    assert stored is not None
    assert stored.items == [ITEMS[1]]


VALID_ITEM = '{"PK":{"S":"P"},"SK":{"S":"S"}}'


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[]", "expected a JSON object, found list"),
        ("{}", 'no "format" field'),
        ('{"format":2}', "unknown snapshot format 2"),
        ('{"format":1}', "dynamodb is missing or not an object"),
        ('{"format":1,"dynamodb":{"items":"nope"}}', "dynamodb.items is missing or not a list"),
        ('{"format":1,"dynamodb":{"items":[]}}', "s3 is missing or not an object"),
        ('{"format":1,"dynamodb":{"items":[7]},"s3":{"objects":[]}}', "items\\[0\\]: Item must"),
        (
            '{"format":1,"dynamodb":{"items":[{"PK":{"S":"P"}}]},"s3":{"objects":[]}}',
            "dynamodb.items\\[0\\]: the key attribute SK is missing",
        ),
        (
            '{"format":1,"dynamodb":{"items":[{"PK":{"S":"P"},"SK":{"S":"S"},"n":{"N":"x"}}]},'
            '"s3":{"objects":[]}}',
            "dynamodb.items\\[0\\]: n: N must be a number",
        ),
        (
            f'{{"format":1,"dynamodb":{{"items":[{VALID_ITEM},{VALID_ITEM}]}},"s3":{{"objects":[]}}}}',
            "dynamodb.items\\[1\\]: a second item with the key",
        ),
        (
            '{"format":1,"dynamodb":{"items":[]},"s3":{"objects":[{"key":"a","body":"!"}]}}',
            "s3.objects\\[0\\]: body is not valid base64",
        ),
        (
            '{"format":1,"dynamodb":{"items":[]},"s3":{"objects":[{"key":"a","body":"",'
            '"metadata":{"a":1}}]}}',
            "s3.objects\\[0\\]: metadata must map strings to strings",
        ),
        ('{"format":1,"dynamodb":{"items":[]},"s3":{"objects":[{}]}}', "key must be a non-empty"),
    ],
)
def test_a_snapshot_of_the_wrong_shape_is_an_error_naming_the_file(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(content)
    with pytest.raises(snapshot.SnapshotError, match=f"^{path} cannot be read: .*{reason}"):
        snapshot.load(path)
    assert path.read_text() == content


def test_an_unreadable_snapshot_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.mkdir()
    with pytest.raises(snapshot.SnapshotError, match=f"^{path} cannot be read"):
        snapshot.load(path)


def test_a_valid_snapshot_with_items_and_objects_loads(tmp_path: Path) -> None:
    stored = snapshot.load(_saved_copy(tmp_path))
    assert stored is not None
    assert [obj.key for obj in stored.objects] == [obj.key for obj in OBJECTS]
    assert len(stored.items) == len(ITEMS)
