"""What the fuzzer found, pinned one by one so that a fix cannot quietly regress."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import OWNER_EMAIL

EXPORTED = Path(__file__).resolve().parents[2] / "openapi.json"


def _documented(method: str, path: str) -> set[str]:
    document = json.loads(EXPORTED.read_text(encoding="utf-8"))
    return set(document["paths"][path][method]["responses"])


def test_a_challenge_session_shorter_than_cognitos_minimum_is_400(client: TestClient) -> None:
    # Cognito refuses sessions under 20 characters before any lookup (botocore did: a 500).
    response = client.post(
        "/v1/auth/challenge",
        json={"email": OWNER_EMAIL, "session": "0", "newPassword": "Brand-N3w-Pass!"},
    )
    assert response.status_code == 400
    assert response.json()["details"]["fields"][0]["field"] == "body.session"


def test_a_challenge_session_cognito_never_issued_is_401(client: TestClient) -> None:
    response = client.post(
        "/v1/auth/challenge",
        json={"email": OWNER_EMAIL, "session": "0" * 20, "newPassword": "Brand-N3w-Pass!"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"


def test_listing_drafts_anonymously_is_a_documented_403(client: TestClient) -> None:
    response = client.get("/v1/projects", params={"status": "draft"})
    assert response.status_code == 403
    assert "403" in _documented("get", "/v1/projects")


def test_every_route_that_reaches_aws_documents_503() -> None:
    document = json.loads(EXPORTED.read_text(encoding="utf-8"))
    missing = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if path != "/health" and "503" not in operation["responses"]
    ]
    assert missing == []


def test_the_bare_json_resume_export_is_documented() -> None:
    # GET /v1/resume?format=jsonresume answers the JSON Resume itself, not the ResumeView.
    document = json.loads(EXPORTED.read_text(encoding="utf-8"))
    ok = document["paths"]["/v1/resume"]["get"]["responses"]["200"]
    schema = ok["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/Resume"} in schema["anyOf"]
