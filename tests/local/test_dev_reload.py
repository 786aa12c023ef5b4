"""`portfolio-api dev` with reload on (its default): the worker process uvicorn spawns stops
when `dev` is killed with SIGKILL, instead of holding the API port with the emulator gone."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from portfolio_api.local.data_dir import OWNER_EMAIL_ENV, OWNER_PASSWORD_ENV

WAIT_SECONDS = 30
PROC = Path("/proc")

pytestmark = pytest.mark.skipif(
    not (PROC / "self" / "task").is_dir(), reason="reads a process's children from /proc"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    children = PROC / str(pid) / "task" / str(pid) / "children"
    return [int(child) for child in children.read_text().split()]


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting for init to reap it is not)."""
    try:
        state = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _healthy(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_the_reload_worker_stops_when_dev_is_killed(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    cache = getattr(request.config, "cache", None)
    pycache = cache.mkdir("dev-command-pycache") if cache else tmp_path / "pyc"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPYCACHEPREFIX": str(pycache)}
    for name in (OWNER_EMAIL_ENV, OWNER_PASSWORD_ENV, "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "dev.log"
    command = [sys.executable, "-m", "portfolio_api.cli", "dev", "--port", str(port)]
    children: list[int] = []
    with log.open("wb") as out:
        dev = subprocess.Popen(  # noqa: S603 - fixed argument list
            [*command, "--data-dir", str(tmp_path / "data")],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not _healthy(base_url):
            assert dev.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        children = _children(dev.pid)
        assert children, "no worker process"

        dev.kill()
        dev.wait(timeout=WAIT_SECONDS)

        deadline = time.monotonic() + 15
        while any(map(_running, children)) or _healthy(base_url):
            assert time.monotonic() < deadline, (
                f"the worker outlived dev: {children}\n{log.read_text()}"
            )
            time.sleep(0.1)
        assert "its reload worker stops too" in log.read_text()
    finally:
        if dev.poll() is None:
            dev.kill()
            dev.wait(timeout=WAIT_SECONDS)
        for child in children:  # what the fix should have stopped, stopped by its pid
            if _running(child):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
