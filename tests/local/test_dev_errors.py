"""`portfolio-api dev` refuses what it cannot use with one line on stderr and exit code 2,
before the banner: never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portfolio_api.local.data_dir import OWNER_EMAIL_ENV, OWNER_PASSWORD_ENV

TIMEOUT_SECONDS = 60


@pytest.fixture(scope="module")
def env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """No owner variables; bytecode cached in pytest's cache so that starts need not compile."""
    cache = getattr(request.config, "cache", None)
    pycache = cache.mkdir("dev-command-pycache") if cache else tmp_path_factory.mktemp("pyc")
    environ = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache)}
    for name in (OWNER_EMAIL_ENV, OWNER_PASSWORD_ENV, "PYTHONDONTWRITEBYTECODE"):
        environ.pop(name, None)
    return environ


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def run_dev(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`portfolio-api dev --no-reload ...`; a start that succeeds would hit the timeout."""
    return subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "portfolio_api.cli", "dev", "--no-reload", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def refusal(result: subprocess.CompletedProcess[str]) -> str:
    """The one line of a refused start (no banner, no traceback, exit code 2)."""
    assert (result.returncode, result.stdout) == (2, ""), result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("portfolio-api dev: "), result.stderr
    return lines[0]


def _regular_file(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.write_text("")
    return path


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "file").write_text("")
    return tmp_path / "file" / "data"


@pytest.mark.parametrize(
    ("make_data_dir", "message"),
    [
        (_regular_file, "data is not a directory; pass --data-dir a directory"),
        (_under_a_file, "cannot create the data directory"),
    ],
)
def test_a_data_dir_that_cannot_be_one(
    tmp_path: Path, env: dict[str, str], make_data_dir: Callable[[Path], Path], message: str
) -> None:
    data_dir = make_data_dir(tmp_path)
    assert message in refusal(run_dev("--data-dir", str(data_dir), env=env))


def test_an_owner_password_outside_the_policy(tmp_path: Path, env: dict[str, str]) -> None:
    env = {**env, OWNER_EMAIL_ENV: "me@example.com", OWNER_PASSWORD_ENV: "too-weak"}
    line = refusal(run_dev("--data-dir", str(tmp_path / "data"), env=env))
    assert line.startswith(
        f"portfolio-api dev: ${OWNER_PASSWORD_ENV}: the user pool's password policy requires "
        "at least 12 characters, with an upper-case letter"
    )


@pytest.mark.parametrize(
    "content", ["[]", '{"format":1,"dynamodb":{"items":"nope"}}', '{"format":1}', "{}"]
)
def test_a_snapshot_of_the_wrong_shape_is_named_and_left_as_it_is(
    tmp_path: Path, env: dict[str, str], content: str
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / "snapshot.json"
    path.write_text(content)
    line = refusal(run_dev("--data-dir", str(data_dir), env=env))
    assert line.startswith(f"portfolio-api dev: {path} cannot be read: ")
    assert path.read_text() == content


def test_a_taken_api_port_is_reported_before_the_banner(
    tmp_path: Path, env: dict[str, str], taken_port: int
) -> None:
    result = run_dev("--data-dir", str(tmp_path / "data"), "--port", str(taken_port), env=env)
    assert refusal(result) == (
        f"portfolio-api dev: API port {taken_port} is not free on 127.0.0.1 (Address already in "
        "use); stop what uses it, or pass another --port"
    )
