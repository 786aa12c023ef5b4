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
