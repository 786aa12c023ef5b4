"""The resume as JSON Resume (jsonresume.org schema v1.0.0), and the routes' response bodies.

The models accept exactly what the schema accepts: every property is optional, unknown
properties are kept (the schema's `additionalProperties: true`), dates may be `YYYY`,
`YYYY-MM` or `YYYY-MM-DD` (the schema's own pattern), and a declared property must have its
declared type (so `null` is refused: no property of the schema allows it). `format: uri` and
`format: email` are annotations in draft-07, so they are not enforced either.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

ISO8601_PATTERN = r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$"
PartialDate = Annotated[str, StringConstraints(pattern=ISO8601_PATTERN)]
"""The schema's `iso8601`: a year, a month or a day, e.g. `2014`, `2014-06`, `2014-06-29`."""


class _Section(BaseModel):
    # Not populate_by_name: only `$schema` has an alias, and its Python name `schema_url` must
    # stay an ordinary unknown property (kept as given), not a second spelling of `$schema`.
    model_config = ConfigDict(extra="allow")

    @field_validator("*", mode="before")
    @classmethod
    def _declared_properties_are_not_null(cls, value: Any) -> Any:
        # Per field, so that each null is reported at its own path, all in one answer;
        # unknown properties are not fields and may be null.
        if value is None:
            raise PydanticCustomError("null", "null is not allowed; omit the property")
        return value


class Location(_Section):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    countryCode: str | None = None
    region: str | None = None


class Profile(_Section):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(_Section):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] | None = None


class Work(_Section):
    name: str | None = None
    location: str | None = None
    description: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: PartialDate | None = None
    endDate: PartialDate | None = None
    summary: str | None = None
    highlights: list[str] | None = None


class Volunteer(_Section):
    organization: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: PartialDate | None = None
    endDate: PartialDate | None = None
    summary: str | None = None
    highlights: list[str] | None = None


class Education(_Section):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    studyType: str | None = None
    startDate: PartialDate | None = None
    endDate: PartialDate | None = None
    score: str | None = None
    courses: list[str] | None = None


class Award(_Section):
    title: str | None = None
    date: PartialDate | None = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(_Section):
    name: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    issuer: str | None = None


class Publication(_Section):
    name: str | None = None
    publisher: str | None = None
    releaseDate: PartialDate | None = None
    url: str | None = None
    summary: str | None = None


class Skill(_Section):
    name: str | None = None
    level: str | None = None
    keywords: list[str] | None = None


class Language(_Section):
    language: str | None = None
    fluency: str | None = None


class Interest(_Section):
    name: str | None = None
    keywords: list[str] | None = None


class Reference(_Section):
    name: str | None = None
    reference: str | None = None


class ResumeProject(_Section):
    name: str | None = None
    description: str | None = None
    highlights: list[str] | None = None
    keywords: list[str] | None = None
    startDate: PartialDate | None = None
    endDate: PartialDate | None = None
    url: str | None = None
    roles: list[str] | None = None
    entity: str | None = None
    type: str | None = None


class Meta(_Section):
    canonical: str | None = None
    version: str | None = None
    lastModified: str | None = None


class Resume(_Section):
    """A JSON Resume document."""

    schema_url: str | None = Field(default=None, alias="$schema")
    basics: Basics | None = None
    work: list[Work] | None = None
    volunteer: list[Volunteer] | None = None
    education: list[Education] | None = None
    awards: list[Award] | None = None
    certificates: list[Certificate] | None = None
    publications: list[Publication] | None = None
    skills: list[Skill] | None = None
    languages: list[Language] | None = None
    interests: list[Interest] | None = None
    references: list[Reference] | None = None
    projects: list[ResumeProject] | None = None
    meta: Meta | None = None

    def document(self) -> dict[str, Any]:
        """The JSON document: only the properties that were given, under their JSON names."""
        document = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if self.schema_url is None:
            # An unknown property named `schema_url` counts the field of that name as set too.
            document.pop("$schema", None)
        return document


class _Schema(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class ResumeView(_Schema):
    """The resume with its version: the draft for the owner, the published copy for others."""

    resume: Resume
    status: Literal["draft", "published"] = Field(
        description="Which copy `resume` is: the owner's draft or the published resume"
    )
    version: int = Field(
        ge=1, description='Version of this copy; the ETag is "v<version>-<8 hex digits>"'
    )
    updated_at: str = Field(description="When this copy last changed (ISO 8601 UTC)")
    published_version: int | None = Field(
        default=None, description="Version of the draft that is published now, if any"
    )
    published_at: str | None = None


class PdfLink(_Schema):
    """A pre-signed link to the published resume's PDF."""

    url: str = Field(description="Pre-signed S3 GET URL")
    expires_at: str = Field(description="When the URL stops working (ISO 8601 UTC)")
