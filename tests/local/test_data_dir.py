"""The data directory keeps the owner credentials and the cursor secret, owner-only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from portfolio_api.local.data_dir import (
    DEFAULT_OWNER_EMAIL,
    OWNER_EMAIL_ENV,
    OWNER_PASSWORD_ENV,
    DataDir,
    DataDirError,
)


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    directory = DataDir(tmp_path / "data")
    directory.ensure()
    return directory


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_directory_is_owner_only(data_dir: DataDir) -> None:
    assert _mode(data_dir.path) == 0o700


def test_generated_owner_is_stored_owner_only_and_reused(data_dir: DataDir) -> None:
    first = data_dir.owner_credentials({})
    second = data_dir.owner_credentials({})
    assert (first.source, second.source) == ("generated", "stored")
    assert (second.email, second.password) == (DEFAULT_OWNER_EMAIL, first.password)
    assert _mode(data_dir.owner_file) == 0o600


def test_owner_from_the_environment_is_not_stored(data_dir: DataDir) -> None:
    owner = data_dir.owner_credentials(
        {OWNER_EMAIL_ENV: "me@example.com", OWNER_PASSWORD_ENV: "Secret-pass-123"}
    )
    assert (owner.email, owner.password, owner.source) == (
        "me@example.com",
        "Secret-pass-123",
        "env",
    )
    assert not data_dir.owner_file.exists()


def test_only_one_owner_variable_is_an_error(data_dir: DataDir) -> None:
    with pytest.raises(DataDirError, match=OWNER_PASSWORD_ENV):
        data_dir.owner_credentials({OWNER_EMAIL_ENV: "me@example.com"})


def test_cursor_secret_is_kept_across_restarts(data_dir: DataDir) -> None:
    secret = data_dir.cursor_secret()
    assert len(secret) == 64
    assert DataDir(data_dir.path).cursor_secret() == secret
    assert _mode(data_dir.cursor_secret_file) == 0o600


def test_a_directory_held_by_one_dev_server_is_refused_to_another(data_dir: DataDir) -> None:
    with data_dir.exclusive():
        assert data_dir.lock_file.read_text() == f"{os.getpid()}\n"
        refused = f"{data_dir.path} is in use by another portfolio-api dev \\(pid {os.getpid()}\\)"
        # flock belongs to each opening of the file: a second one conflicts, even in-process.
        with pytest.raises(DataDirError, match=refused), DataDir(data_dir.path).exclusive():
            pass
    with DataDir(data_dir.path).exclusive():  # released on the way out
        pass
    assert data_dir.lock_file.read_text() == ""


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_the_directory_is_free_again_once_its_holder_is_killed(data_dir: DataDir) -> None:
    code = (
        "import sys, time; from pathlib import Path; "
        "from portfolio_api.local.data_dir import DataDir; "
        f"lock = DataDir(Path({str(data_dir.path)!r})).exclusive(); lock.__enter__(); "
        "print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(DataDirError, match=f"pid {holder.pid}"), data_dir.exclusive():
            pass
    finally:
        holder.kill()  # SIGKILL: no clean-up runs; the OS drops the lock with the process
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    with data_dir.exclusive():
        pass


def test_a_regular_file_is_not_a_data_directory(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("keep me")
    with pytest.raises(DataDirError, match=f"{path} is not a directory"):
        DataDir(path).ensure()
    assert path.read_text() == "keep me"


def test_a_directory_that_cannot_be_created_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    impossible = tmp_path / "file" / "data"
    with pytest.raises(DataDirError, match=f"cannot create the data directory {impossible}"):
        DataDir(impossible).ensure()


def test_a_cursor_secret_that_cannot_be_read_is_an_error_naming_it(data_dir: DataDir) -> None:
    data_dir.cursor_secret_file.mkdir()
    with pytest.raises(DataDirError, match=f"cannot use {data_dir.cursor_secret_file} \\(Is a"):
        data_dir.cursor_secret()


def test_an_owner_file_that_cannot_be_read_is_an_error_naming_it(data_dir: DataDir) -> None:
    data_dir.owner_file.mkdir()
    with pytest.raises(DataDirError, match=f"cannot use {data_dir.owner_file} \\(Is a"):
        data_dir.owner_credentials({})
