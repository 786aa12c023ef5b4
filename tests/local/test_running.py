"""`running()` refuses what it cannot use before the emulator starts."""

from __future__ import annotations

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
from portfolio_api.local.dev import running


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
