"""`running()` refuses what it cannot use before the emulator starts, and writes nothing then."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from portfolio_api.local import dev
from portfolio_api.local.data_dir import (
    OWNER_EMAIL_ENV,
    OWNER_PASSWORD_ENV,
    DataDir,
    DataDirError,
)
from portfolio_api.local.dev import ServeError, check_api_address, running
from portfolio_api.local.snapshot import SnapshotError


class _NoEmulator:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("the emulator must not start")


@pytest.fixture
def no_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dev, "Emulator", _NoEmulator)


@pytest.fixture
def no_owner_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OWNER_EMAIL_ENV, raising=False)
    monkeypatch.delenv(OWNER_PASSWORD_ENV, raising=False)


@pytest.mark.usefixtures("no_emulator", "no_owner_env")
def test_a_data_dir_in_use_is_refused_before_the_emulator_starts(tmp_path: Path) -> None:
    held = DataDir(tmp_path.resolve())
    refused = pytest.raises(DataDirError, match="in use by another")
    with held.exclusive(), refused, running(data_dir=tmp_path):
        pass


@pytest.mark.usefixtures("no_emulator", "no_owner_env")
def test_a_bad_snapshot_is_refused_before_the_emulator_starts_and_left_as_it_is(
    tmp_path: Path,
) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text('{"format":1,"dynamodb":{"items":"nope"}}')
    with pytest.raises(SnapshotError, match=f"{path} cannot be read"), running(data_dir=tmp_path):
        pass
    assert path.read_text() == '{"format":1,"dynamodb":{"items":"nope"}}'


@pytest.mark.usefixtures("no_emulator", "no_owner_env")
def test_a_taken_api_port_is_refused_before_the_emulator_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with (
            pytest.raises(ServeError, match=f"API port {port} is not free"),
            running(data_dir=tmp_path, api_address=("127.0.0.1", port)),
        ):
            pass


def test_a_free_api_port_passes_the_check() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check_api_address("127.0.0.1", port)


def test_an_owner_password_outside_the_policy_names_the_variable_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(OWNER_EMAIL_ENV, "me@example.com")
    monkeypatch.setenv(OWNER_PASSWORD_ENV, "weak")
    with pytest.raises(DataDirError) as refused, running(data_dir=tmp_path):
        pass
    assert str(refused.value).startswith(
        f"${OWNER_PASSWORD_ENV}: the user pool's password policy requires at least 12 characters"
    )
    assert not (tmp_path / "snapshot.json").exists()


@pytest.mark.usefixtures("no_owner_env")
def test_a_stored_owner_password_outside_the_policy_names_the_file(tmp_path: Path) -> None:
    owner_file = tmp_path / "owner.json"
    owner_file.write_text('{"email": "me@example.com", "password": "weak"}')
    with (
        pytest.raises(DataDirError, match=f"the password in {owner_file}: "),
        running(data_dir=tmp_path),
    ):
        pass
