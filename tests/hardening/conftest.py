"""Fixtures of the hardening tests: a table holding one item of every kind, made over HTTP.

- `seeded`: a published blog post and project, a draft certification, a task, a published
  resume, one counted visit and one counted view (so the daily salt exists and is cached).
- `items()`: a snapshot of every item in the table, to show that a failure wrote nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portfolio_api.db.table import Table
from tests.content.conftest import certification_fields, post_fields, project_fields
from tests.hardening.faults import Snapshot, snapshot

RESUME = {"basics": {"name": "Ada Lovelace", "label": "Engineer"}, "work": []}
WARM_UP_AGENT = "Mozilla/5.0 (warm-up visitor)"


@dataclass(frozen=True)
class Seed:
    """What `seeded` created, as the API returned it."""

    post: dict[str, Any]
    project: dict[str, Any]
    certification: dict[str, Any]
    task: dict[str, Any]


def _created(client: TestClient, path: str, body: Any, headers: dict[str, str]) -> Any:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _published(client: TestClient, path: str, headers: dict[str, str]) -> Any:
    response = client.post(f"{path}/publish", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def seeded(client: TestClient, owner_headers: dict[str, str]) -> Seed:
    """One item of every kind, created through the real routes."""
    post = _created(client, "/v1/blog/posts", post_fields(slug="first-post"), owner_headers)
    post = _published(client, f"/v1/blog/posts/{post['id']}", owner_headers)
    project = _created(client, "/v1/projects", project_fields(), owner_headers)
    project = _published(client, f"/v1/projects/{project['id']}", owner_headers)
    certification = _created(client, "/v1/certifications", certification_fields(), owner_headers)
    task = _created(client, "/v1/tasks", {"title": "Renew the certificate"}, owner_headers)
    assert client.put("/v1/resume", json=RESUME, headers=owner_headers).status_code == 201
    assert client.post("/v1/resume/publish", headers=owner_headers).status_code == 200
    warm_up = {"User-Agent": WARM_UP_AGENT}
    assert client.post("/v1/visitors/track", headers=warm_up).json()["tracked"] is True
    view = {"contentType": "blog", "contentId": post["id"]}
    assert client.post("/v1/analytics/track", json=view, headers=warm_up).json()["tracked"]
    return Seed(post=post, project=project, certification=certification, task=task)


@pytest.fixture
def items(table: Table) -> Callable[[], Snapshot]:
    """Every item of the table, read from the backend, each time it is called."""
    return lambda: snapshot(table)
