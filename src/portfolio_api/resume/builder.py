"""Import of the resume builder's simpler shape (name, phone, summary, skills as strings,
experience, education), mapped into JSON Resume."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from portfolio_api.resume.schemas import ISO8601_PATTERN

BUILDER_ONLY_PROPERTIES = frozenset({"name", "email", "phone", "summary", "experience"})
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


def is_builder_shape(document: dict[str, Any]) -> bool:
    """True for the builder's shape: no `basics`, and builder-only properties or string skills.

    JSON Resume allows unknown top-level properties, so a document with `basics` is always
    taken as JSON Resume.
    """
    if "basics" in document:
        return False
    skills = document.get("skills")
    string_skills = isinstance(skills, list) and any(isinstance(s, str) for s in skills)
    return string_skills or bool(BUILDER_ONLY_PROPERTIES & document.keys())


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
