"""The resume builder's shape: which documents are taken as it, and what PUT and PATCH do
with it (PUT replaces the draft, PATCH changes only the JSON Resume paths it names)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from portfolio_api.resume.builder import is_builder_shape
from portfolio_api.resume.service import validate
from tests.resume.samples import full_resume

RESUME = "/v1/resume"
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def test_an_education_only_builder_document_is_the_builder_shape() -> None:
    document = {"education": [{"degree": "BCA", "institution": "XYZ College", "year": "2023"}]}
    assert is_builder_shape(document)
    assert validate(document).document() == {
        "education": [{"studyType": "BCA", "institution": "XYZ College", "endDate": "2023"}]
    }


@pytest.mark.parametrize(
    "education",
    [
        [{"institution": "XYZ College"}],
        [{"institution": "XYZ College", "degree": "kept", "studyType": "BSc"}],
    ],
)
def test_education_with_json_resume_properties_stays_json_resume(
    education: list[dict[str, Any]],
) -> None:
    assert not is_builder_shape({"education": education})
    assert validate({"education": education}).document() == {"education": education}


def _put(client: TestClient, owner: dict[str, str], document: dict[str, Any]) -> None:
    assert client.put(RESUME, json=document, headers=owner).status_code in (200, 201)


def _patch(client: TestClient, owner: dict[str, str], patch: dict[str, Any]) -> Any:
    return client.patch(RESUME, json=patch, headers={**owner, **MERGE_PATCH})


def test_a_builder_patch_changes_the_json_resume_paths_it_maps_to(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    job = {"role": "CTO", "company": "New Co", "start": "2024-01", "end": "Present"}
    response = _patch(client, owner_headers, {"phone": "+1 555 0100", "experience": [job]})
    assert response.status_code == 200
    expected = full_resume()
    expected["basics"]["phone"] = "+1 555 0100"
    expected["work"] = [{"position": "CTO", "name": "New Co", "startDate": "2024-01"}]
    assert response.json()["resume"] == expected
    exported = client.get(RESUME, params={"format": "jsonresume"}, headers=owner_headers)
    assert exported.json() == expected


def test_a_builder_patch_null_deletes_the_mapped_property(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    response = _patch(client, owner_headers, {"phone": None, "skills": ["Go"]})
    resume = response.json()["resume"]
    assert "phone" not in resume["basics"]
    assert resume["basics"]["name"] == full_resume()["basics"]["name"]
    assert resume["skills"] == [{"name": "Go"}]
    assert "phone" not in resume


def test_a_builder_patch_with_a_bad_date_is_400_naming_it(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    response = _patch(client, owner_headers, {"experience": [{"role": "Dev", "start": "May 2022"}]})
    assert response.status_code == 400
    assert response.json()["details"]["fields"][0]["field"] == "experience.0.start"
    assert client.get(RESUME, headers=owner_headers).json()["version"] == 1


def test_a_builder_put_replaces_the_whole_draft(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    _put(client, owner_headers, full_resume())
    _put(client, owner_headers, {"name": "John Doe", "skills": ["React"]})
    resume = client.get(RESUME, headers=owner_headers).json()["resume"]
    assert resume == {"basics": {"name": "John Doe"}, "skills": [{"name": "React"}]}
