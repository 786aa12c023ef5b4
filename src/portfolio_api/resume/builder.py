"""The resume builder's simpler shape (name, phone, summary, skills as strings, experience,
education), mapped into JSON Resume: a whole document (PUT) or a merge patch (PATCH)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from portfolio_api.resume.schemas import ISO8601_PATTERN

BUILDER_ONLY_PROPERTIES = frozenset({"name", "email", "phone", "summary", "experience"})
BUILDER_EDUCATION = frozenset({"degree", "institution", "year"})
BUILDER_EDUCATION_ONLY = frozenset({"degree", "year"})
_BASICS = ("name", "email", "phone", "summary")
_SECTIONS = {"experience": "work", "education": "education", "skills": "skills"}
ONGOING = frozenset({"", "present", "current", "now", "ongoing", "today"})
_DATE = re.compile(ISO8601_PATTERN)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _partial_date(value: str | None) -> str | None:
    """A builder date as a JSON Resume date; "Present" and friends mean "still ongoing"."""
    if value is None or value.strip().lower() in ONGOING:
        return None
    if not _DATE.fullmatch(value.strip()):
        raise ValueError("dates must be YYYY, YYYY-MM, YYYY-MM-DD or 'Present'")
    return value.strip()


class BuilderExperience(_Strict):
    role: str | None = None
    company: str | None = None
    location: str | None = None
    start: str | None = None
    end: str | None = None
    details: list[str] = []

    _dates = field_validator("start", "end")(_partial_date)


class BuilderEducation(_Strict):
    degree: str | None = None
    institution: str | None = None
    year: str | None = None

    _year = field_validator("year")(_partial_date)


class BuilderResume(_Strict):
    """The reference builder's resume (its `email` key included)."""

    email: str | None = None
    name: str | None = None
    phone: str | None = None
    summary: str | None = None
    skills: list[str] = []
    experience: list[BuilderExperience] = []
    education: list[BuilderEducation] = []


def _is_builder_education(entry: Any) -> bool:
    # `institution` is shared with JSON Resume; `degree` or `year` with nothing else tell.
    return (
        isinstance(entry, dict)
        and bool(BUILDER_EDUCATION_ONLY & entry.keys())
        and entry.keys() <= BUILDER_EDUCATION
    )


def is_builder_shape(document: dict[str, Any]) -> bool:
    """True for the builder's shape: no `basics`, and a builder-only property, string skills,
    or an education entry with only builder properties (`degree`, `institution`, `year`).

    JSON Resume allows unknown top-level properties, so a document with `basics` is always
    taken as JSON Resume.
    """
    if "basics" in document:
        return False
    skills, education = document.get("skills"), document.get("education")
    return (
        bool(BUILDER_ONLY_PROPERTIES & document.keys())
        or (isinstance(skills, list) and any(isinstance(s, str) for s in skills))
        or (isinstance(education, list) and any(_is_builder_education(e) for e in education))
    )


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != []}


def to_json_resume(builder: BuilderResume) -> dict[str, Any]:
    """The JSON Resume document holding the same facts."""
    document: dict[str, Any] = {}
    basics = _without_none(
        {
            "name": builder.name,
            "email": builder.email,
            "phone": builder.phone,
            "summary": builder.summary,
        }
    )
    if basics:
        document["basics"] = basics
    if builder.experience:
        document["work"] = [
            _without_none(
                {
                    "position": job.role,
                    "name": job.company,
                    "location": job.location,
                    "startDate": job.start,
                    "endDate": job.end,
                    "highlights": job.details,
                }
            )
            for job in builder.experience
        ]
    if builder.education:
        document["education"] = [
            _without_none(
                {
                    "studyType": school.degree,
                    "institution": school.institution,
                    "endDate": school.year,
                }
            )
            for school in builder.education
        ]
    if builder.skills:
        document["skills"] = [{"name": skill} for skill in builder.skills]
    return document


def to_json_resume_patch(patch: dict[str, Any]) -> dict[str, Any]:
    """The JSON Resume merge patch that changes what a builder-shaped patch names, and only
    that: `phone` changes `basics.phone`, `experience` replaces `work`; `null` deletes."""
    given = to_json_resume(
        BuilderResume.model_validate({k: v for k, v in patch.items() if v is not None})
    )
    result: dict[str, Any] = {}
    basics = {name: given.get("basics", {}).get(name) for name in _BASICS if name in patch}
    if basics:
        result["basics"] = basics
    for name, section in _SECTIONS.items():
        if name in patch:
            # An empty list maps to no section at all in `to_json_resume`; here it empties it.
            result[section] = given.get(section, None if patch[name] is None else [])
    return result
