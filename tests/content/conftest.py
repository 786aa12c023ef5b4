"""Fixtures of the content tests: a controllable clock and item factories over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.config import Settings
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from tests.visitors.fakes import CountingClient, SerialClient, wire_client

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
REALISTIC_POST = (Path(__file__).parents[1] / "fixtures" / "realistic-post.md").read_text()
"""A real-world technical post of 2.2 KB of Markdown: a ~5 KB item with its HTML."""

MakeItem = Callable[..., dict[str, Any]]


def post_fields(**overrides: Any) -> dict[str, Any]:
    """A valid BlogPostCreate body."""
    return {
        "title": "Building Scalable APIs",
        "excerpt": "How to build fast APIs",
        "content": "# Intro\n\nFastAPI is **fast**.",
        "category": "Backend",
        "tags": ["python", "fastapi"],
        **overrides,
    }


def project_fields(**overrides: Any) -> dict[str, Any]:
    """A valid ProjectCreate body."""
    return {
        "name": "Agriculture Platform",
        "description": "Farmer onboarding API",
        "longDescription": "A **Django** platform.",
        "tech": ["Python", "Django"],
        "company": "HAMWE EA",
        "featured": False,
        "githubUrl": "https://github.com/example/agri",
        **overrides,
    }


def certification_fields(**overrides: Any) -> dict[str, Any]:
    """A valid CertificationCreate body."""
    return {
        "name": "AWS Certified Solutions Architect",
        "issuer": "Amazon Web Services",
        "icon": "🏅",
        "type": "certification",
        "featured": True,
        "description": "Designing distributed systems on AWS",
        "credentialUrl": "https://aws.amazon.com/verification",
        "dateEarned": "2023-06-15",
        **overrides,
    }


def stored_item(table: Table, kind: str, item_id: str) -> dict[str, Any]:
    """A content item exactly as the table holds it (DynamoDB's typed JSON)."""
    key = {name: {"S": value} for name, value in keys.content_item(kind, item_id).items()}
    item: dict[str, Any] = table.client.get_item(TableName=table.name, Key=key)["Item"]
    return item


@pytest.fixture
def dynamodb(app: FastAPI, table: Table, settings: Settings) -> CountingClient:
    """The app's DynamoDB client, counting the requests it forwards to moto."""
    counting = CountingClient(table.client)
    wire_client(app, table, settings, counting)
    return counting


@pytest.fixture
def clock(app: FastAPI) -> FixedClock:
    """The app's clock, standing still at START until a test moves it."""
    fixed = FixedClock(START)
    app.state.clock = fixed
    return fixed


def _factory(
    client: TestClient, headers: dict[str, str], path: str, defaults: Callable[..., dict[str, Any]]
) -> MakeItem:
    def make(*, publish: bool = False, **overrides: Any) -> dict[str, Any]:
        response = client.post(path, json=defaults(**overrides), headers=headers)
        assert response.status_code == 201, response.text
        item: dict[str, Any] = response.json()
        if publish:
            response = client.post(f"{path}/{item['id']}/publish", headers=headers)
            assert response.status_code == 200, response.text
            item = response.json()
        return item

    return make


@pytest.fixture
def make_post(client: TestClient, owner_headers: dict[str, str], clock: FixedClock) -> MakeItem:
    """Create a blog post as the owner (`publish=True` to publish it)."""
    return _factory(client, owner_headers, "/v1/blog/posts", post_fields)


@pytest.fixture
def make_project(client: TestClient, owner_headers: dict[str, str], clock: FixedClock) -> MakeItem:
    """Create a project as the owner."""
    return _factory(client, owner_headers, "/v1/projects", project_fields)


@pytest.fixture
def make_certification(
    client: TestClient, owner_headers: dict[str, str], clock: FixedClock
) -> MakeItem:
    """Create a certification as the owner."""
    return _factory(client, owner_headers, "/v1/certifications", certification_fields)


@pytest.fixture
def atomic_requests(app: FastAPI, table: Table) -> None:
    """Make the app's table apply each DynamoDB request atomically, as DynamoDB does."""
    app.state.table = Table(
        client=SerialClient(table.client),
        name=table.name,
        cursor_secret=table._cursor_secret,
    )
