"""`portfolio-api export` and `portfolio-api import`: settings, output, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_api.backup import progress, service
from portfolio_api.cli import main
from portfolio_api.config import get_settings
from portfolio_api.db.table import Table
from tests.backup.conftest import EVERY_TYPE, numbered, put_raw, raw_items


@pytest.fixture
def environment_table(table: Table, monkeypatch: pytest.MonkeyPatch) -> Iterator[Table]:
    """The table named by DYNAMODB_TABLE_NAME, as a deployed or dev environment sets it."""
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", table.name)
    get_settings.cache_clear()
    yield table
    get_settings.cache_clear()


def test_export_then_import_through_the_command_line(
    environment_table: Table,
    restore_table: Table,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    put_raw(environment_table, EVERY_TYPE, *numbered(20))

    assert main(["export"]) == 0
    exported = capsys.readouterr()
    backup = tmp_path / "backup.jsonl"
    backup.write_text(exported.out)
    assert main(["import", str(backup), "--table", restore_table.name]) == 0
    imported = capsys.readouterr().out
    assert main(["import", str(backup), "--table", restore_table.name]) == 0
    again = capsys.readouterr().out

    assert f"exported 21 items from {environment_table.name}" in exported.err
    assert "created 21, updated 0, unchanged 0: 21 written" in imported
    assert "created 0, updated 0, unchanged 21: 0 written" in again
    assert raw_items(restore_table) == raw_items(environment_table)


def test_export_to_a_file_with_a_table_override(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put_raw(table, *numbered(3))
    backup = tmp_path / "backup.jsonl"

    assert main(["export", "--table", table.name, "--output", str(backup), "--quiet"]) == 0

    assert capsys.readouterr() == ("", "")
    lines = backup.read_text().splitlines()
    assert json.loads(lines[0])["table"] == table.name
    assert json.loads(lines[-1]) == {
        "trailer": {"itemCount": 3, **json.loads(lines[-1])["trailer"]}
    }
    assert len(lines) == 5
    assert [path.name for path in tmp_path.iterdir()] == ["backup.jsonl"]


def test_export_of_a_missing_table_fails_and_leaves_no_file(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.jsonl"

    assert main(["export", "--table", "no-such-table", "--output", str(backup)]) == 1

    assert "ResourceNotFoundException" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_dry_run_prints_the_changes_and_writes_nothing(
    table: Table, restore_table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put_raw(table, *numbered(2))
    backup = tmp_path / "backup.jsonl"
    main(["export", "--table", table.name, "-o", str(backup), "-q"])

    assert main(["import", str(backup), "--table", restore_table.name, "--dry-run"]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["create PK=ITEM#0 SK=000000", "create PK=ITEM#0 SK=000001"]
    assert out[-1] == "created 2, updated 0, unchanged 0: 2 would write"
    assert raw_items(restore_table) == {}


def test_importing_a_malformed_file_exits_1_naming_the_line(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "bad.jsonl"
    backup.write_text(
        '{"format":"portfolio-api-backup","version":1,"table":"t","exportedAt":"x"}\n{'
    )

    assert main(["import", str(backup), "--table", table.name]) == 1

    assert capsys.readouterr().err.startswith(f"portfolio-api import: {backup}: line 2: ")
    assert raw_items(table) == {}


def test_an_import_shows_its_progress_bar_when_asked(
    table: Table, restore_table: Table, tmp_path: Path
) -> None:
    put_raw(table, *numbered(250))
    backup = tmp_path / "backup.jsonl"
    main(["export", "--table", table.name, "-o", str(backup), "-q"])
    stream = io.StringIO()

    service.import_file(
        client=table.client,
        table=restore_table.name,
        path=backup,
        progress=progress.bar("import", stream=stream, enabled=True, delay=0),
    )

    assert "import: 100%" in stream.getvalue()
    assert "250/250" in stream.getvalue()


def test_no_progress_bar_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()

    bar = progress.bar("export", stream=stream, delay=0)(None)
    bar.update(5)
    bar.close()

    assert stream.getvalue() == ""


def test_the_command_line_imports_neither_tqdm_nor_botocore_until_a_command_runs() -> None:
    code = (
        "import sys; from portfolio_api.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('tqdm', 'botocore') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
