"""Backups never carry what could re-identify a visitor: the daily salts and de-dup markers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portfolio_api.backup import jsonl, service
from portfolio_api.cli import main
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.backup.conftest import export_file, export_text, raw_items
from tests.content.conftest import post_fields
from tests.visitors.conftest import FIREFOX

DAY = date(2026, 11, 22)


def _traffic(client: TestClient, table: Table, owner: dict[str, str]) -> None:
    """A published post, a visit and a view of it: a salt and two de-dup markers."""
    post = client.post("/v1/blog/posts", json=post_fields(), headers=owner).json()
    assert client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner).status_code == 200
    assert client.post("/v1/visitors/track", headers={"User-Agent": FIREFOX}).json()["tracked"]
    viewed = client.post(
        "/v1/analytics/track",
        headers={"User-Agent": FIREFOX},
        json={"contentId": post["id"], "contentType": "blog"},
    )
    assert viewed.json()["tracked"], viewed.text
    stored = raw_items(table)
    assert len([key for key in stored if key[0].startswith("SEEN#")]) == 2
    assert any(pk == keys.SALT for pk, _ in stored)


def test_an_export_leaves_out_the_salts_and_de_dup_markers(
    client: TestClient, table: Table, owner_headers: dict[str, str]
) -> None:
    _traffic(client, table, owner_headers)

    text = export_text(table)

    exported = {
        jsonl.key_of(record["Item"])[0] for record in map(json.loads, text.splitlines()[1:-1])
    }
    assert keys.visitor_total()["PK"] in exported
    assert not any(keys.is_visitor_trace(pk) for pk in exported)
    kept = [key for key in raw_items(table) if not keys.is_visitor_trace(key[0])]
    assert f'"itemCount":{len(kept)}' in text.splitlines()[-1]


def test_the_round_trip_restores_everything_else_exactly(
    client: TestClient,
    table: Table,
    restore_table: Table,
    tmp_path: Path,
    owner_headers: dict[str, str],
) -> None:
    _traffic(client, table, owner_headers)
    backup = export_file(table, tmp_path / "backup.jsonl")

    service.import_file(client=table.client, table=restore_table.name, path=backup)

    expected = {
        key: item for key, item in raw_items(table).items() if not keys.is_visitor_trace(key[0])
    }
    assert raw_items(restore_table) == expected


def _older_backup(path: Path) -> Path:
    """A backup of an earlier release: another day's salt, a marker and a post."""
    old_salt = {"PK": {"S": keys.SALT}, "SK": {"S": DAY.isoformat()}, "salt": {"S": "other"}}
    marker = {"PK": {"S": "SEEN#00ff"}, "SK": {"S": f"VISIT#{DAY.isoformat()}"}}
    content = {"PK": {"S": "CONTENT#blog#post_1"}, "SK": {"S": "ITEM"}, "title": {"S": "Kept"}}
    path.write_text(
        jsonl.header_line(table="earlier")
        + "".join(jsonl.item_line(item) for item in (old_salt, marker, content))
        + jsonl.trailer_line(item_count=3),
        encoding="utf-8",
    )
    return path


def test_an_import_skips_the_salts_and_markers_of_an_older_backup(
    table: Table, tmp_path: Path
) -> None:
    # Another day's or another table's salt would make today's visitors count again.
    todays = {**keys.daily_salt(DAY), "salt": "today's", "expiresAt": 1}
    table.put(todays)
    backup = _older_backup(tmp_path / "old.jsonl")

    report = service.import_file(client=table.client, table=table.name, path=backup)

    assert (report.items, report.skipped, report.created) == (3, 2, 1)
    assert table.get(keys.daily_salt(DAY)) == todays
    assert ("SEEN#00ff", f"VISIT#{DAY.isoformat()}") not in raw_items(table)
    assert ("CONTENT#blog#post_1", "ITEM") in raw_items(table)


def test_the_import_command_says_what_it_skipped(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = _older_backup(tmp_path / "old.jsonl")

    assert main(["import", str(backup), "--table", table.name]) == 0

    printed = capsys.readouterr().out
    assert "created 1, updated 0, unchanged 0: 1 written" in printed
    assert "skipped 2 visitor salts and de-dup markers" in printed
