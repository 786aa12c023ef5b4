"""The demo portfolio: realistic content, drafts kept private, loaded once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from portfolio_api.cli import build_parser
from portfolio_api.clock import FixedClock
from portfolio_api.content.seed import seed, seed_configured_table
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.content.contract import assert_matches_response

Headers = dict[str, str]


def test_seed_loads_public_content_and_keeps_drafts_private(
    client: TestClient, owner_headers: Headers, table: Table, clock: FixedClock
) -> None:
    seeded = seed(table=table, clock=clock)
    assert seeded.created == {"blog": 4, "project": 3, "certification": 3}
    posts = client.get("/v1/blog/posts").json()
    assert_matches_response("/blog/posts", "get", 200, posts)
    assert posts["total"] == 2  # one draft, one scheduled for tomorrow
    everything = client.get("/v1/blog/posts", params={"status": "all"}, headers=owner_headers)
    assert everything.json()["total"] == 4
    assert client.get("/v1/projects").json()["total"] == 3
    assert client.get("/v1/certifications").json()["total"] == 3


def test_seed_does_nothing_when_content_exists(table: Table, clock: FixedClock) -> None:
    seed(table=table, clock=clock)
    assert seed(table=table, clock=clock).created == {"blog": 0, "project": 0, "certification": 0}


def test_dev_command_accepts_demo() -> None:
    assert build_parser().parse_args(["dev", "--demo"]).demo is True
    assert build_parser().parse_args(["dev"]).demo is False


def test_seed_configured_table_uses_the_environment_table(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", table.name)
    assert seed_configured_table().created["project"] == 3
    assert table.get(keys.content_counters("project")) is not None
