"""The resume routes through the real app on moto: who sees what, replace, merge patch,
publish, and optimistic concurrency with ETag / If-Match."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.resume.samples import builder_resume, full_resume

RESUME = "/v1/resume"
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def _put(client: TestClient, owner: dict[str, str], document: dict[str, object]) -> str:
    response = client.put(RESUME, json=document, headers=owner)
    assert response.status_code in (200, 201), response.text
    return response.headers["ETag"]


def test_first_put_creates_the_draft_at_version_one(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    response = client.put(RESUME, json=full_resume(), headers=owner_headers)
    assert response.status_code == 201
    assert response.headers["ETag"].startswith('"v1-')
    body = response.json()
    assert body["resume"] == full_resume()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["publishedVersion"] is None


def test_put_again_replaces_the_whole_draft(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    response = client.put(RESUME, json={"basics": {"name": "New"}}, headers=owner_headers)
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"v2-')
    assert response.json()["resume"] == {"basics": {"name": "New"}}


def test_put_accepts_the_builder_shape(client: TestClient, owner_headers: dict[str, str]) -> None:
    response = client.put(RESUME, json=builder_resume(), headers=owner_headers)
    resume = response.json()["resume"]
    assert resume["basics"]["name"] == "John Doe"
    assert resume["work"][0] == {
        "position": "Developer",
        "name": "ABC Corp",
        "startDate": "2022",
        "endDate": "2023",
        "highlights": ["Coding", "Testing"],
    }


def test_put_refuses_an_invalid_resume_with_field_details(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    response = client.put(RESUME, json={"work": [{"startDate": "May 2020"}]}, headers=owner_headers)
    assert response.status_code == 400
    details = response.json()["details"]
    assert details["fields"][0]["field"] == "work.0.startDate"
    # the contract's {field, issue}, as every validation 400 gives them
    assert details["field"] == "work.0.startDate"
    assert details["issue"] == details["fields"][0]["message"]


def test_put_names_each_null_property_at_its_own_path(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    document = {"basics": {"name": None}, "work": [{"startDate": None}]}
    response = client.put(RESUME, json=document, headers=owner_headers)
    assert response.status_code == 400
    fields = [field["field"] for field in response.json()["details"]["fields"]]
    assert sorted(fields) == ["basics.name", "work.0.startDate"]


def test_anonymous_sees_nothing_before_publication(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    response = client.get(RESUME)
    assert response.status_code == 404
    assert response.json()["message"] == "No resume has been published yet"


def test_anonymous_sees_the_published_copy_and_the_owner_the_draft(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, {"basics": {"name": "Published"}})
    assert client.post(f"{RESUME}/publish", headers=owner_headers).status_code == 200
    _put(client, owner_headers, {"basics": {"name": "Draft"}})

    public = client.get(RESUME)
    assert public.status_code == 200
    assert public.json()["resume"] == {"basics": {"name": "Published"}}
    assert public.json()["status"] == "published"
    assert public.headers["ETag"].startswith('"v1-')

    owner = client.get(RESUME, headers=owner_headers)
    assert owner.json()["resume"] == {"basics": {"name": "Draft"}}
    assert owner.json()["status"] == "draft"
    assert owner.json()["publishedVersion"] == 1
    assert owner.headers["ETag"].startswith('"v2-')


def test_publish_answers_the_published_copy(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    response = client.post(f"{RESUME}/publish", headers=owner_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "published"
    assert body["publishedVersion"] == 1
    assert body["publishedAt"] == body["updatedAt"]
    assert body["resume"] == full_resume()


def test_a_resume_as_large_as_publishing_allows_can_be_published(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    # Draft and published copy share one item under DynamoDB's 400 KB: ~185 KB each fit.
    summary = "Built and ran serverless systems. " * 5_600
    _put(client, owner_headers, {"basics": {"name": "Jane", "summary": summary}})
    published = client.post(f"{RESUME}/publish", headers=owner_headers)
    assert published.status_code == 200
    assert published.json()["resume"]["basics"]["summary"] == summary


def test_a_resume_too_large_to_publish_is_refused_when_saved(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    too_large = {"basics": {"name": "Jane", "summary": "x" * 200_000}}
    response = client.put(RESUME, json=too_large, headers=owner_headers)
    assert response.status_code == 413
    assert response.json()["details"]["maxBytes"] == 190 * 1024
    assert client.get(RESUME, headers=owner_headers).json()["resume"] == full_resume()
    patch = client.patch(RESUME, json=too_large, headers={**owner_headers, **MERGE_PATCH})
    assert patch.status_code == 413


def test_publish_without_a_resume_is_404(client: TestClient, owner_headers: dict[str, str]) -> None:
    assert client.post(f"{RESUME}/publish", headers=owner_headers).status_code == 404


def test_merge_patch_changes_only_the_given_fields(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    patch = {"basics": {"label": "Staff Engineer", "location": {"city": "Hamburg"}}}
    response = client.patch(RESUME, json=patch, headers={**owner_headers, **MERGE_PATCH})
    assert response.status_code == 200
    expected = full_resume()
    expected["basics"]["label"] = "Staff Engineer"
    expected["basics"]["location"]["city"] = "Hamburg"
    assert response.json()["resume"] == expected
    assert response.headers["ETag"].startswith('"v2-')


def test_merge_patch_null_deletes_and_arrays_replace(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    patch = {"basics": {"phone": None}, "references": None, "skills": [{"name": "Go"}]}
    response = client.patch(RESUME, json=patch, headers=owner_headers)
    resume = response.json()["resume"]
    assert "phone" not in resume["basics"]
    assert "references" not in resume
    assert resume["skills"] == [{"name": "Go"}]
    assert resume["work"] == full_resume()["work"]


def test_merge_patch_that_breaks_the_schema_is_400_and_changes_nothing(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    response = client.patch(RESUME, json={"work": "none"}, headers=owner_headers)
    assert response.status_code == 400
    assert client.get(RESUME, headers=owner_headers).json()["version"] == 1


def test_merge_patch_before_any_put_is_404(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    assert client.patch(RESUME, json={"basics": {}}, headers=owner_headers).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_stale_if_match_is_412(
    client: TestClient, owner_headers: dict[str, str], method: str
) -> None:
    _put(client, owner_headers, full_resume())
    _put(client, owner_headers, full_resume())
    response = client.request(
        method,
        RESUME,
        json={"basics": {"name": "X"}},
        headers={**owner_headers, "If-Match": '"v1"'},
    )
    assert response.status_code == 412
    assert response.json()["details"] == {"currentVersion": 2}
    assert client.get(RESUME, headers=owner_headers).json()["resume"] == full_resume()


@pytest.mark.parametrize("method", ["put", "patch"])
def test_the_current_if_match_is_accepted(
    client: TestClient, owner_headers: dict[str, str], method: str
) -> None:
    etag = _put(client, owner_headers, full_resume())
    response = client.request(
        method, RESUME, json={"basics": {"name": "X"}}, headers={**owner_headers, "If-Match": etag}
    )
    assert response.status_code == 200
    assert response.json()["resume"]["basics"]["name"] == "X"


@pytest.mark.parametrize("if_match", ['W/"v1"', "v1", "1", '"1"', '"v1", "v2"', '"abc"'])
def test_a_malformed_or_weak_if_match_never_matches(
    client: TestClient, owner_headers: dict[str, str], if_match: str
) -> None:
    _put(client, owner_headers, full_resume())
    response = client.put(RESUME, json={}, headers={**owner_headers, "If-Match": if_match})
    assert response.status_code == 412


def test_if_match_star_requires_an_existing_resume(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    headers = {**owner_headers, "If-Match": "*"}
    assert client.put(RESUME, json={}, headers=headers).status_code == 412
    _put(client, owner_headers, {})
    assert client.put(RESUME, json={}, headers=headers).status_code == 200


def test_publish_with_a_stale_if_match_is_412(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    _put(client, owner_headers, {"basics": {"name": "Not reviewed"}})
    headers = {**owner_headers, "If-Match": '"v1"'}
    assert client.post(f"{RESUME}/publish", headers=headers).status_code == 412
    assert client.get(RESUME).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("put", RESUME), ("patch", RESUME), ("post", f"{RESUME}/publish")],
)
def test_writes_need_the_owner(
    client: TestClient, non_owner_headers: dict[str, str], method: str, path: str
) -> None:
    assert client.request(method, path, json={}).status_code == 401
    assert client.request(method, path, json={}, headers=non_owner_headers).status_code == 403


def test_the_put_body_is_documented_as_json_resume(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/resume"]["put"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "basics" in spec["components"]["schemas"][name]["properties"]
