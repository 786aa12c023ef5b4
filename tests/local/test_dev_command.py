"""`portfolio-api dev` end to end: a real process serving the app on the embedded emulator."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from portfolio_api.db import keys
from portfolio_api.local.data_dir import OWNER_EMAIL_ENV, OWNER_PASSWORD_ENV

WAIT_SECONDS = 30
# Distinct browsers: the counter ignores robots (HTTP libraries included) and repeat visitors.
BROWSERS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DevServer:
    """One `portfolio-api dev --no-reload` process and its log."""

    def __init__(self, data_dir: Path, log: Path, env: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
                [
                    sys.executable,
                    "-m",
                    "portfolio_api.cli",
                    "dev",
                    "--no-reload",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(data_dir),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"dev exited early:\n{self.output()}"
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"/health did not answer within {WAIT_SECONDS}s:\n{self.output()}")

    def track(self, user_agent: str) -> int:
        response = httpx.post(
            f"{self.base_url}/v1/visitors/track", headers={"User-Agent": user_agent}, timeout=5
        )
        return response.status_code

    def stop(self, sig: signal.Signals) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=WAIT_SECONDS)


@pytest.fixture(scope="module")
def dev_env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The subprocesses' environment: no owner variables, and a bytecode cache kept in pytest's
    cache directory so that starts need not compile the app (even with PYTHONDONTWRITEBYTECODE).
    """
    cache = getattr(request.config, "cache", None)
    pycache = cache.mkdir("dev-command-pycache") if cache else tmp_path_factory.mktemp("pyc")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPYCACHEPREFIX": str(pycache)}
    for name in (OWNER_EMAIL_ENV, OWNER_PASSWORD_ENV, "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


@contextmanager
def dev_server(data_dir: Path, log: Path, env: dict[str, str]) -> Iterator[DevServer]:
    server = DevServer(data_dir, log, env)
    try:
        server.wait_until_healthy()
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=WAIT_SECONDS)


def test_data_survives_restarts_stopped_by_sigterm_or_sigint(
    tmp_path: Path, dev_env: dict[str, str]
) -> None:
    # One scenario rather than several tests: every start costs seconds.
    data_dir = tmp_path / "data"
    with dev_server(data_dir, tmp_path / "first.log", dev_env) as first:
        assert [first.track(browser) for browser in BROWSERS] == [200, 200]
        assert first.stop(signal.SIGTERM) == 0, first.output()

    with dev_server(data_dir, tmp_path / "second.log", dev_env) as second:
        count = httpx.get(f"{second.base_url}/v1/visitors/count", timeout=5)
        assert count.json() == {"count": 2}, second.output()
        assert httpx.get(f"{second.base_url}/docs", timeout=5).status_code == 200
        assert second.track("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0") == 200
        # TRUSTED_PROXY_HOPS is 0: a forged X-Forwarded-For must not make a repeat visitor new
        # (uvicorn's own proxy handling would have trusted it from 127.0.0.1).
        forged = httpx.post(
            f"{second.base_url}/v1/visitors/track",
            headers={
                "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
                "X-Forwarded-For": "198.51.100.23",
            },
            timeout=5,
        )
        assert forged.json() == {"count": 3, "tracked": False}, second.output()
        # The app's access line has no client address; uvicorn's would start with it.
        output = second.output()
        assert '"route": "/v1/visitors/track"' in output, output
        assert not re.search(r'\d+\.\d+\.\d+\.\d+:\d+ - "POST', output), output
        assert second.stop(signal.SIGINT) == 0, second.output()

    saved = json.loads((data_dir / "snapshot.json").read_text())["dynamodb"]["items"]
    total_key = {name: {"S": value} for name, value in keys.visitor_total().items()}
    totals = [item for item in saved if {k: item[k] for k in total_key} == total_key]
    assert [item["count"] for item in totals] == [{"N": "3"}]
    assert f"{second.base_url}/docs" in second.output()


def test_a_second_dev_server_on_the_same_data_dir_is_refused(
    tmp_path: Path, dev_env: dict[str, str]
) -> None:
    # Both would keep their own data in memory, and the last to stop would overwrite the
    # other's snapshot.
    data_dir = tmp_path / "data"
    with dev_server(data_dir, tmp_path / "first.log", dev_env) as first:
        assert first.track(BROWSERS[0]) == 200
        command = [sys.executable, "-m", "portfolio_api.cli", "dev", "--no-reload"]
        second = subprocess.run(  # noqa: S603 - fixed argument list
            [*command, "--port", str(_free_port()), "--data-dir", str(data_dir)],
            env=dev_env,
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,  # a second server that starts is stopped by the timeout
            check=False,
        )
        assert (second.returncode, second.stdout) == (2, ""), second  # no banner
        assert second.stderr == (
            f"portfolio-api dev: {data_dir.resolve()} is in use by another portfolio-api dev "
            f"(pid {first.process.pid}); stop that one first, or pass another --data-dir\n"
        )
        assert first.track(BROWSERS[1]) == 200
        assert first.stop(signal.SIGTERM) == 0, first.output()

    saved = json.loads((data_dir / "snapshot.json").read_text())["dynamodb"]["items"]
    total_key = {name: {"S": value} for name, value in keys.visitor_total().items()}
    totals = [item for item in saved if {k: item[k] for k in total_key} == total_key]
    assert [item["count"] for item in totals] == [{"N": "2"}]
