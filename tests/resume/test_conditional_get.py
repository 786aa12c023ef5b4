"""GET /v1/resume answers 304 to its own ETag, and only while the answer is the same; the
ETag's version is what If-Match compares."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.resume.samples import full_resume

RESUME = "/v1/resume"


def _put(client: TestClient, owner: dict[str, str], document: dict[str, Any]) -> str:
    response = client.put(RESUME, json=document, headers=owner)
    assert response.status_code in (200, 201), response.text
    return response.headers["ETag"]


def _get(client: TestClient, headers: dict[str, str], etag: str) -> Any:
    return client.get(RESUME, headers={**headers, "If-None-Match": etag})


def test_get_answers_304_to_its_own_etag(client: TestClient, owner_headers: dict[str, str]) -> None:
    _put(client, owner_headers, full_resume())
    client.post(f"{RESUME}/publish", headers=owner_headers)
    for headers in ({}, owner_headers):
        etag = client.get(RESUME, headers=headers).headers["ETag"]
        response = _get(client, headers, etag)
        assert response.status_code == 304
        assert response.content == b""
        assert response.headers["ETag"] == etag
        assert response.headers["Cache-Control"] == "no-cache"


def test_a_write_answers_the_etag_that_get_then_answers_304_to(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    etag = _put(client, owner_headers, full_resume())
    assert _get(client, owner_headers, etag).status_code == 304


def test_a_changed_draft_is_sent_again(client: TestClient, owner_headers: dict[str, str]) -> None:
    etag = _put(client, owner_headers, full_resume())
    _put(client, owner_headers, {"basics": {"name": "New"}})
    response = _get(client, owner_headers, etag)
    assert response.status_code == 200
    assert response.json()["resume"] == {"basics": {"name": "New"}}


def test_publishing_sends_the_draft_again_with_its_published_version(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    etag = _put(client, owner_headers, full_resume())
    client.post(f"{RESUME}/publish", headers=owner_headers)
    response = _get(client, owner_headers, etag)
    assert response.status_code == 200
    assert response.json()["publishedVersion"] == 1


def test_the_drafts_etag_never_matches_the_published_copy_of_that_version(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    draft_etag = client.post(f"{RESUME}/publish", headers=owner_headers).headers["ETag"]
    owner_etag = client.get(RESUME, headers=owner_headers).headers["ETag"]
    assert draft_etag != owner_etag
    response = _get(client, {}, owner_etag)
    assert response.status_code == 200
    assert response.json()["status"] == "published"


def test_if_match_takes_the_etag_or_its_version_alone(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    etag = _put(client, owner_headers, full_resume())
    assert etag.startswith('"v1-')
    headers = {**owner_headers, "If-Match": etag}
    assert client.put(RESUME, json={}, headers=headers).status_code == 200
    headers = {**owner_headers, "If-Match": '"v2"'}
    assert client.patch(RESUME, json={"basics": {}}, headers=headers).status_code == 200


def test_the_contract_declares_304_for_get_and_409_for_patch(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()["paths"]["/v1/resume"]
    assert {"304", "404"} <= spec["get"]["responses"].keys()
    assert "401" not in spec["get"]["responses"]
    assert "409" in spec["patch"]["responses"]
