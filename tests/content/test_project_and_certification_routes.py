"""The contract's Projects and Certifications operations, validated against its schemas."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.content.conftest import MakeItem, certification_fields, project_fields
from tests.content.contract import assert_matches_response, assert_matches_schema

Headers = dict[str, str]

KINDS = [
    ("/v1/projects", "/projects", "{projectId}", "Project", project_fields, "projects"),
    (
        "/v1/certifications",
        "/certifications",
        "{certificationId}",
        "Certification",
        certification_fields,
        "certifications",
    ),
]


@pytest.mark.parametrize(("path", "contract", "param", "schema", "fields", "key"), KINDS)
def test_every_operation_answers_as_the_contract_says(
    client: TestClient,
    owner_headers: Headers,
    clock: object,
    path: str,
    contract: str,
    param: str,
    schema: str,
    fields: object,
    key: str,
) -> None:
    assert callable(fields)
    item_path = f"{contract}/{param}"
    created = client.post(path, json=fields(), headers=owner_headers)
    assert created.status_code == 201
    assert_matches_response(contract, "post", 201, created.json())
    item_id = created.json()["id"]

    updated = client.put(f"{path}/{item_id}", json={"featured": True}, headers=owner_headers)
    assert updated.status_code == 200
    assert_matches_response(item_path, "put", 200, updated.json())
    assert updated.json()["featured"] is True

    published = client.post(f"{path}/{item_id}/publish", headers=owner_headers)
    assert_matches_response(f"{item_path}/publish", "post", 200, published.json())
    assert published.json()["status"] == "published"

    public = client.get(f"{path}/{item_id}")
    assert_matches_response(item_path, "get", 200, public.json())
    listing = client.get(path).json()
    assert_matches_response(contract, "get", 200, listing)
    assert [item["id"] for item in listing[key]] == [item_id]

    unpublished = client.post(f"{path}/{item_id}/unpublish", headers=owner_headers)
    assert_matches_response(f"{item_path}/unpublish", "post", 200, unpublished.json())
    assert client.get(f"{path}/{item_id}").status_code == 404

    assert client.delete(f"{path}/{item_id}", headers=owner_headers).status_code == 204
    missing = client.get(f"{path}/{item_id}", headers=owner_headers)
    assert missing.status_code == 404
    assert_matches_schema("Error", missing.json())


@pytest.mark.parametrize(("path", "contract", "param", "schema", "fields", "key"), KINDS)
def test_changes_require_the_owner(
    client: TestClient,
    non_owner_headers: Headers,
    clock: object,
    path: str,
    contract: str,
    param: str,
    schema: str,
    fields: object,
    key: str,
) -> None:
    assert callable(fields)
    assert client.post(path, json=fields()).status_code == 401
    assert client.post(path, json=fields(), headers=non_owner_headers).status_code == 403
    assert client.put(f"{path}/x_1", json={}, headers=non_owner_headers).status_code == 403
    assert client.delete(f"{path}/x_1").status_code == 401


def test_projects_filter_by_featured(client: TestClient, make_project: MakeItem) -> None:
    make_project(name="star", featured=True, publish=True)
    make_project(name="plain", featured=False, publish=True)
    body = client.get("/v1/projects", params={"featured": "true"}).json()
    assert [p["name"] for p in body["projects"]] == ["star"]
    assert body["total"] == 1


def test_certifications_filter_by_type_and_sort_by_date_earned(
    client: TestClient, make_certification: MakeItem
) -> None:
    make_certification(name="old", dateEarned="2020-01-01", publish=True)
    make_certification(name="new", dateEarned="2024-01-01", publish=True)
    make_certification(name="course", type="course", featured=False, publish=True)
    certs = client.get("/v1/certifications", params={"type": "certification"}).json()
    assert [c["name"] for c in certs["certifications"]] == ["new", "old"]
    assert certs["total"] == 2
    both = client.get("/v1/certifications", params={"type": "course", "featured": "false"}).json()
    assert [c["name"] for c in both["certifications"]] == ["course"]
    assert both["total"] == 1


@pytest.mark.parametrize("date", ["2999-12-31", "2025-03-03", "1949-12-31", "0001-01-01"])
def test_a_certification_earned_after_tomorrow_or_before_1950_is_refused(
    client: TestClient, owner_headers: Headers, clock: object, date: str
) -> None:
    # The clock stands at 2025-03-01: tomorrow is the latest date accepted.
    body = certification_fields(dateEarned=date)
    response = client.post("/v1/certifications", json=body, headers=owner_headers)
    assert response.status_code == 400, response.text
    assert response.json()["details"]["field"] == "dateEarned"
    listed = client.get("/v1/certifications", params={"status": "all"}, headers=owner_headers)
    assert listed.json()["total"] == 0


@pytest.mark.parametrize("date", ["2025-03-02", "2025-03-01", "1950-01-01"])
def test_a_certification_earned_from_1950_to_tomorrow_is_accepted(
    client: TestClient, owner_headers: Headers, clock: object, date: str
) -> None:
    body = certification_fields(dateEarned=date)
    response = client.post("/v1/certifications", json=body, headers=owner_headers)
    assert response.status_code == 201, response.text
    assert response.json()["dateEarned"] == date


def test_an_update_to_a_date_earned_far_ahead_is_refused_and_changes_nothing(
    client: TestClient, owner_headers: Headers, make_certification: MakeItem
) -> None:
    cert = make_certification(dateEarned="2023-06-15")
    path = f"/v1/certifications/{cert['id']}"
    response = client.put(path, json={"dateEarned": "2999-12-31"}, headers=owner_headers)
    assert response.status_code == 400, response.text
    assert response.json()["details"]["field"] == "dateEarned"
    stored = client.get(path, headers=owner_headers).json()
    assert (stored["dateEarned"], stored["version"]) == ("2023-06-15", cert["version"])


def test_project_urls_are_validated(
    client: TestClient, owner_headers: Headers, clock: object
) -> None:
    body = project_fields(liveUrl="not a url")
    response = client.post("/v1/projects", json=body, headers=owner_headers)
    assert response.status_code == 400


def test_project_url_can_be_cleared_with_null(
    client: TestClient, owner_headers: Headers, make_project: MakeItem
) -> None:
    project = make_project()
    response = client.put(
        f"/v1/projects/{project['id']}", json={"githubUrl": None}, headers=owner_headers
    )
    assert response.json()["githubUrl"] is None


def test_urls_are_kept_as_typed_and_must_be_http(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    typed = {"liveUrl": "https://project.example.com", "githubUrl": "HTTPS://GitHub.com/Me/Repo"}
    created = client.post("/v1/projects", json=project_fields(**typed), headers=owner_headers)
    assert created.status_code == 201, created.text
    assert {key: created.json()[key] for key in typed} == typed
    for bad in ("javascript:alert(1)", "ftp://example.com/x", "not a url", ""):
        refused = client.post(
            "/v1/projects", json=project_fields(liveUrl=bad), headers=owner_headers
        )
        assert refused.status_code == 400, bad
        assert refused.json()["details"]["fields"][0]["field"] == "body.liveUrl"
