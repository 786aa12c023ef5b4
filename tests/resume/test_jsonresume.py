"""JSON Resume import and export: a full resume goes in through PUT and comes out of
`GET ?format=jsonresume` unchanged and valid against the official schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, FormatChecker

from portfolio_api.errors import BadRequest
from portfolio_api.resume.service import validate
from tests.resume.samples import builder_resume, full_resume

# The JSON Resume project's schema.json (draft-07, MIT licence), as in shared/reference.
SCHEMA_PATH = Path(__file__).with_name("jsonresume-schema.json")
EXPORT = {"format": "jsonresume"}


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return Draft7Validator(schema, format_checker=FormatChecker())


def test_a_full_resume_round_trips_and_validates(
    client: TestClient, owner_headers: dict[str, str], validator: Draft7Validator
) -> None:
    validator.validate(full_resume())
    assert client.put("/v1/resume", json=full_resume(), headers=owner_headers).status_code == 201
    client.post("/v1/resume/publish", headers=owner_headers)

    for headers in ({}, owner_headers):
        response = client.get("/v1/resume", params=EXPORT, headers=headers)
        assert response.status_code == 200
        exported = response.json()
        assert exported == full_resume()
        validator.validate(exported)


def test_a_builder_import_exports_as_valid_json_resume(
    client: TestClient, owner_headers: dict[str, str], validator: Draft7Validator
) -> None:
    client.put("/v1/resume", json=builder_resume(), headers=owner_headers)
    exported = client.get("/v1/resume", params=EXPORT, headers=owner_headers).json()
    validator.validate(exported)
    assert exported["basics"]["name"] == "John Doe"


def test_the_export_carries_the_etag(client: TestClient, owner_headers: dict[str, str]) -> None:
    client.put("/v1/resume", json=full_resume(), headers=owner_headers)
    response = client.get("/v1/resume", params=EXPORT, headers=owner_headers)
    assert response.headers["ETag"].startswith('"v1-')


def test_our_models_agree_with_the_schema_on_what_is_invalid(validator: Draft7Validator) -> None:
    invalid = [
        {"basics": {"name": None}},
        {"work": [{"startDate": "2020-1"}]},
        {"skills": [{"keywords": "python"}]},
        {"education": [{"courses": [1]}]},
    ]
    for document in invalid:
        assert not validator.is_valid(document)
        with pytest.raises(BadRequest):
            validate(document)
