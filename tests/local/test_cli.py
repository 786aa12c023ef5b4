"""The `portfolio-api` command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_api.cli import build_parser


def test_dev_defaults_to_loopback_port_8000_reload_and_dot_local() -> None:
    args = build_parser().parse_args(["dev"])
    assert (args.host, args.port, args.data_dir, args.reload, args.emulator_port) == (
        "127.0.0.1",
        8000,
        Path(".local"),
        True,
        0,
    )


def test_dev_accepts_its_flags() -> None:
    args = build_parser().parse_args(
        ["dev", "--host", "localhost", "--port", "9000", "--data-dir", "d", "--no-reload"]
    )
    assert (args.host, args.port, args.data_dir, args.reload) == (
        "localhost",
        9000,
        Path("d"),
        False,
    )


def test_serve_defaults_to_loopback_port_8000() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.command, args.host, args.port) == ("serve", "127.0.0.1", 8000)


def test_a_subcommand_is_required() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["dev", "--port", "99999"], "argument --port: must be from 1 to 65535, got 99999"),
        (["dev", "--port", "0"], "argument --port: must be from 1 to 65535, got 0"),
        (["dev", "--port", "http"], "argument --port: not a port number: 'http'"),
        (["dev", "--emulator-port", "65536"], "--emulator-port: must be from 0 to 65535"),
        (["serve", "--port", "-1"], "argument --port: must be from 1 to 65535, got -1"),
    ],
)
def test_ports_outside_1_to_65535_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_emulator_port_0_means_a_free_one() -> None:
    assert build_parser().parse_args(["dev", "--emulator-port", "0"]).emulator_port == 0
