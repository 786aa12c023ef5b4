"""JSON Resume validation: what the schema allows is accepted, the rest is refused; the
builder's shape maps into JSON Resume."""

from __future__ import annotations

from typing import Any

import pytest

from portfolio_api.errors import BadRequest
from portfolio_api.resume.builder import is_builder_shape
from portfolio_api.resume.schemas import Resume
from portfolio_api.resume.service import validate
from tests.resume.samples import builder_resume, full_resume


@pytest.mark.parametrize("day", ["2014", "2014-06", "2014-06-29"])
def test_partial_dates_are_accepted(day: str) -> None:
    resume = Resume.model_validate({"work": [{"startDate": day}]})
    assert resume.document() == {"work": [{"startDate": day}]}


@pytest.mark.parametrize("day", ["14", "2014-6", "2014/06", "June 2014", "3014", "2014\n", ""])
def test_dates_outside_the_schema_pattern_are_refused(day: str) -> None:
    with pytest.raises(BadRequest) as failure:
        validate({"work": [{"startDate": day}]})
    assert failure.value.details is not None
    assert failure.value.details["fields"][0]["field"] == "work.0.startDate"


def test_the_full_sample_round_trips_unchanged() -> None:
    assert validate(full_resume()).document() == full_resume()


def test_unknown_properties_are_kept_everywhere() -> None:
    document = {"basics": {"name": "A", "pronouns": "she/her"}, "work": [{"team": {"size": 4}}]}
    assert validate(document).document() == document


@pytest.mark.parametrize(
    "document",
    [
        {"basics": {"name": 42}},
        {"basics": {"name": None}},
        {"basics": []},
        {"work": {"name": "not a list"}},
        {"work": [{"highlights": "not a list"}]},
        {"skills": [{"keywords": [1, 2]}]},
        {"basics": {"location": {"city": ["Berlin"]}}},
        {"meta": {"version": 1}},
        {"$schema": 7},
    ],
)
def test_values_of_the_wrong_type_are_refused(document: dict[str, Any]) -> None:
    with pytest.raises(BadRequest):
        validate(document)


def test_an_empty_document_is_a_valid_resume() -> None:
    assert validate({}).document() == {}


def test_builder_shape_is_recognised() -> None:
    assert is_builder_shape(builder_resume())
    assert is_builder_shape({"skills": ["Python"]})
    assert not is_builder_shape(full_resume())
    assert not is_builder_shape({"basics": {"name": "A"}, "name": "also an extra"})


def test_builder_shape_maps_into_json_resume() -> None:
    assert validate(builder_resume()).document() == {
        "basics": {
            "name": "John Doe",
            "email": "akash10@gmail.com",
            "phone": "9876543210",
            "summary": "Software Developer",
        },
        "work": [
            {
                "position": "Developer",
                "name": "ABC Corp",
                "startDate": "2022",
                "endDate": "2023",
                "highlights": ["Coding", "Testing"],
            }
        ],
        "education": [{"studyType": "BCA", "institution": "XYZ College", "endDate": "2023"}],
        "skills": [{"name": "React"}, {"name": "AWS"}],
    }


def test_builder_present_end_date_means_ongoing() -> None:
    job = {"role": "Dev", "company": "X", "start": "2022-05", "end": "Present"}
    document = {"experience": [job]}
    assert validate(document).document()["work"] == [
        {"position": "Dev", "name": "X", "startDate": "2022-05"}
    ]


@pytest.mark.parametrize(
    "document",
    [
        {"experience": [{"role": "Dev", "start": "May 2022"}]},
        {"name": "A", "hobbies": ["chess"]},
        {"name": "A", "skills": [{"name": "Python"}]},
    ],
)
def test_builder_shape_with_unknown_fields_or_bad_dates_is_refused(
    document: dict[str, Any],
) -> None:
    with pytest.raises(BadRequest):
        validate(document)


def _fields(document: dict[str, Any]) -> list[str]:
    with pytest.raises(BadRequest) as failure:
        validate(document)
    assert failure.value.details is not None
    return [field["field"] for field in failure.value.details["fields"]]


def test_a_null_property_is_reported_at_its_own_path() -> None:
    assert _fields({"basics": {"name": None}}) == ["basics.name"]


def test_every_null_is_reported_in_one_answer() -> None:
    document = {"work": [{"name": "A"}, {"startDate": None, "name": None}], "meta": None}
    assert sorted(_fields(document)) == ["meta", "work.1.name", "work.1.startDate"]


def test_unknown_properties_may_be_null() -> None:
    document = {"basics": {"name": "A", "pronouns": None}, "extra": None}
    assert validate(document).document() == document


@pytest.mark.parametrize(
    "document",
    [
        {"schema_url": "https://example.com/schema.json"},
        {"schema_url": {"kept": True}},
        {"$schema": "https://example.com/schema.json", "schema_url": None},
    ],
)
def test_an_unknown_schema_url_property_is_kept_as_given(document: dict[str, Any]) -> None:
    assert validate(document).document() == document
