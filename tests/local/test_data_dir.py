"""The data directory keeps the owner credentials and the cursor secret, owner-only."""

from __future__ import annotations

import stat
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
