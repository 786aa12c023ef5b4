"""Schema parts shared by the content kinds: base class, bounded labels, URLs, publish body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from portfolio_api.content import text

URL_MAX = 2048
MAX_LABELS = 20
LABEL_MAX = 50


class Schema(BaseModel):
    """camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Patch(Schema):
    """A partial update: only the fields sent are changed; unknown fields are refused, and
    only the fields in `NULLABLE` may be cleared with null.

    The item's own read-only fields (`READ_ONLY`: its id, status, version, timestamps...) are
    ignored rather than refused, so that a client may send back the item it read with its
    changes (`{...post, title}`); status and schedule change through publish and unpublish,
    and `If-Match` (not the body's `version`) guards against concurrent changes.
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
    NULLABLE: ClassVar[frozenset[str]] = frozenset()
    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {"id", "status", "createdAt", "updatedAt", "version", "publishAt", "scheduled"}
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if key not in cls.READ_ONLY}
        return data

    @model_validator(mode="after")
    def _refuse_null(self) -> Self:
        for name in self.model_fields_set:
            if getattr(self, name) is None and name not in self.NULLABLE:
                raise ValueError(f"{to_camel(name)} may not be null")
        return self


def _clean_label(value: str) -> str:
    cleaned = text.clean_label(value)
    if not cleaned:
        raise ValueError("must not be blank")
    return cleaned


def _clean_labels(values: list[str]) -> list[str]:
    cleaned = text.unique_labels(values)
    if not cleaned:
        raise ValueError("must hold at least one non-blank value")
    return cleaned


Label = Annotated[str, Field(min_length=1, max_length=LABEL_MAX), AfterValidator(_clean_label)]
"""A category or technology name: trimmed, inner whitespace collapsed."""
Labels = Annotated[
    list[Annotated[str, Field(max_length=LABEL_MAX)]],
    Field(min_length=1, max_length=MAX_LABELS),
    AfterValidator(_clean_labels),
]
"""Tags: trimmed, blanks dropped, unique regardless of case (first spelling kept)."""
_HTTP_URL = TypeAdapter(HttpUrl)


def _http_url(value: str) -> str:
    """The URL as the owner typed it (trimmed), once it is a valid http(s) URL: stored as given,
    not normalised (pydantic's `HttpUrl` would add a trailing `/` and lowercase the host)."""
    value = value.strip()
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError as error:
        raise ValueError(error.errors()[0]["msg"]) from None
    return value


Url = Annotated[
    str,
    Field(min_length=1, max_length=URL_MAX, json_schema_extra={"format": "uri"}),
    AfterValidator(_http_url),
]
Slug = Annotated[str, Field(min_length=1, max_length=text.SLUG_MAX, pattern=text.SLUG_PATTERN)]
Status = Literal["draft", "published"]


class ContentPublic(Schema):
    """Fields every content response carries beyond the contract's."""

    id: str
    status: Status
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})
    version: int = Field(
        description='Incremented by every change; the ETag carries it ("v<version>-<digest>")'
    )
    publish_at: str | None = Field(
        default=None,
        description="When the current publication starts (null for drafts)",
        json_schema_extra={"format": "date-time"},
    )
    scheduled: bool = Field(
        default=False, description="Published with a future `publishAt`: not public yet"
    )


def _in_utc_range(value: datetime) -> datetime:
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("must be a time between years 1 and 9999 in UTC") from None
    return value


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_in_utc_range)]
"""A time with an offset that is still a time in UTC (not past 9999-12-31 or before 0001-01-01
once converted)."""


class PublishRequest(Schema):
    """Optional body of `publish`: a future `publishAt` schedules the item."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    publish_at: UtcDatetime | None = Field(
        default=None, description="Publish at this time (ISO 8601 with offset); default now"
    )


class CategoryCount(Schema):
    """A category and how many public items use it."""

    name: str
    count: int
