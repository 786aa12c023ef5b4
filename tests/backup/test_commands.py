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

    assert capsys.readouterr().err == (
        "portfolio-api export: table 'no-such-table' (named by --table) does not exist in "
        "us-east-1; check the name, the region and the account of your credentials\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_missing_table_named_by_the_environment_says_so(
    table: Table,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    put_raw(table, *numbered(2))
    backup = tmp_path / "backup.jsonl"
    main(["export", "--table", table.name, "-o", str(backup), "-q"])
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", "gone")
    get_settings.cache_clear()
    try:
        assert main(["import", str(backup)]) == 1
    finally:
        get_settings.cache_clear()

    assert capsys.readouterr().err == (
        "portfolio-api import: table 'gone' (named by $DYNAMODB_TABLE_NAME) does not exist in "
        "us-east-1; check the name, the region and the account of your credentials\n"
    )


def test_a_missing_table_of_the_default_name_says_the_variable_is_not_set(
    table: Table, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DYNAMODB_TABLE_NAME", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["export"]) == 1
    finally:
        get_settings.cache_clear()

    assert capsys.readouterr().err.startswith(
        "portfolio-api export: table 'portfolio-api-table' (the default name, as "
        "$DYNAMODB_TABLE_NAME is not set) does not exist in us-east-1"
    )


def test_an_export_to_a_missing_directory_names_the_file_asked_for(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "missing" / "backup.jsonl"

    assert main(["export", "--table", table.name, "-o", str(backup)]) == 2

    assert capsys.readouterr().err == (
        f"portfolio-api export: cannot write {backup} (No such file or directory)\n"
    )


def test_an_export_onto_a_directory_names_it_and_leaves_no_file(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backup.jsonl"
    target.mkdir()

    assert main(["export", "--table", table.name, "-o", str(target), "-q"]) == 1

    assert capsys.readouterr().err == (
        f"portfolio-api export: cannot write {target} (Is a directory); no file was written\n"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["backup.jsonl"]
    assert list(target.iterdir()) == []


def test_importing_what_is_not_a_regular_file_is_refused_before_reading_it(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path), "--table", table.name]) == 2

    assert capsys.readouterr().err == (
        f"portfolio-api import: {tmp_path} must be a regular file (it is read twice: checked, "
        "then imported); save it to a file first\n"
    )


def test_importing_a_file_that_does_not_exist_is_a_usage_error(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "backup.jsonl"

    assert main(["import", str(missing), "--table", table.name]) == 2

    assert capsys.readouterr().err == (
        f"portfolio-api import: cannot read {missing} (No such file or directory)\n"
    )


def test_importing_from_a_pipe_is_refused(table: Table, tmp_path: Path) -> None:
    # A pipe can be read once; the import reads its file twice (checked, then imported), and
    # used to report the second, empty read as "found an empty line or file".
    put_raw(table, *numbered(2))
    backup = tmp_path / "backup.jsonl"
    main(["export", "--table", table.name, "-o", str(backup), "-q"])
    result = subprocess.run(
        [sys.executable, "-m", "portfolio_api.cli", "import", "/dev/stdin", "--table", "t"],
        input=backup.read_text(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (result.returncode, result.stdout) == (2, ""), result
    assert result.stderr == (
        "portfolio-api import: /dev/stdin must be a regular file (it is read twice: checked, "
        "then imported); save it to a file first\n"
    )


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
