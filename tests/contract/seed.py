"""Content created through the API, as the owner: something for every read to find."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from tests.content.conftest import certification_fields, post_fields, project_fields
from tests.resume.samples import full_resume

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"}


@dataclass(frozen=True)
class Seeded:
    """The ids of what `seed` created (each content item published)."""

    post_id: str
    project_id: str
    certification_id: str
    task_id: str


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _published(client: TestClient, owner: dict[str, str], path: str, fields: dict[str, Any]) -> str:
    item = _ok(client.post(path, json=fields, headers=owner), 201)
    _ok(client.post(f"{path}/{item['id']}/publish", headers=owner))
    return str(item["id"])


def seed(client: TestClient, owner: dict[str, str]) -> Seeded:
    """A published post, project, certification and resume, a task, a visit and a view."""
    post_id = _published(client, owner, "/v1/blog/posts", post_fields())
    project_id = _published(client, owner, "/v1/projects", project_fields())
    certification_id = _published(client, owner, "/v1/certifications", certification_fields())
    _ok(client.put("/v1/resume", json=full_resume(), headers=owner), 201)
    _ok(client.post("/v1/resume/publish", headers=owner))
    task = _ok(
        client.post("/v1/tasks", json={"title": "Renew the certificate"}, headers=owner), 201
    )
    _ok(client.post("/v1/visitors/track", headers=BROWSER))
    view = {"contentType": "blog", "contentId": post_id}
    _ok(client.post("/v1/analytics/track", json=view, headers=BROWSER))
    return Seeded(
        post_id=post_id,
        project_id=project_id,
        certification_id=certification_id,
        task_id=str(task["id"]),
    )
