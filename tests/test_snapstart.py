"""SnapStart warm-up: the handler serves a request and the clients exist before the snapshot."""

from __future__ import annotations

import importlib.machinery
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest
from mangum import Mangum

from portfolio_api import snapstart
from portfolio_api.config import Settings
from portfolio_api.main import create_app


def handler_for(settings: Settings) -> Mangum:
    """The handler `main` builds, for these settings."""
    return Mangum(
        create_app(settings), lifespan="off", api_gateway_base_path=settings.api_base_path
    )


def test_warm_up_serves_health_on_the_default_stage(aws_mock: None) -> None:
    assert snapstart.warm(handler_for(Settings()), Settings()) == 200


def test_warm_up_serves_health_below_a_named_stage(aws_mock: None) -> None:
    staged = Settings(api_base_path="/prod")
    assert snapstart.warm(handler_for(staged), staged) == 200


def test_warm_up_includes_every_router(aws_mock: None) -> None:
    settings = Settings()
    handler = handler_for(settings)
    snapstart.warm(handler, settings)
    assert handler.app.state.routers.pending == ()  # type: ignore[attr-defined]


def test_nothing_is_registered_outside_the_lambda_runtime() -> None:
    assert "snapshot_restore_py" not in sys.modules
    assert snapstart.register(handler_for(Settings()), Settings()) is False


def test_warm_up_runs_before_the_snapshot_in_the_lambda_runtime(
    monkeypatch: pytest.MonkeyPatch, aws_mock: None
) -> None:
    hooks: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
    runtime = types.ModuleType("snapshot_restore_py")
    runtime.__spec__ = importlib.machinery.ModuleSpec("snapshot_restore_py", loader=None)
    runtime.register_before_snapshot = lambda func, *args: hooks.append((func, args))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime)
    settings = Settings()
    assert snapstart.register(handler_for(settings), settings) is True
    ((hook, args),) = hooks
    assert hook(*args) == 200
