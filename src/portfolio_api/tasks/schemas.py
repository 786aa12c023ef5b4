"""Request and response bodies of the task routes, camelCase like the rest of the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

TaskStatus = Literal["todo", "doing", "done"]
TaskPriority = Literal["low", "medium", "high"]
TaskSort = Literal["newest", "due"]

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=5000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Tags = Annotated[list[Tag], Field(max_length=20)]

NOT_NULLABLE = ("title", "status", "priority")


def _unique(tags: list[str] | None) -> list[str] | None:
    return list(dict.fromkeys(tags)) if tags is not None else None


class _Schema(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class TaskCreate(_Schema):
    """A new task."""

    model_config = ConfigDict(extra="forbid")

    title: Title = Field(examples=["Renew the TLS certificate"])
    description: Description | None = None
    status: TaskStatus = "todo"
    priority: TaskPriority = "medium"
    due_date: date | None = Field(default=None, examples=["2025-04-01"])
    tags: Tags = Field(default_factory=list, examples=[["ops"]])

    _tags = field_validator("tags")(_unique)


class TaskUpdate(_Schema):
    """The fields to change; `null` clears `description`, `dueDate` and `tags`."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    status: TaskStatus | None = None
    priority: TaskPriority | None = None
    due_date: date | None = None
    tags: Tags | None = None

    _tags = field_validator("tags")(_unique)

    @field_validator(*NOT_NULLABLE, mode="before")
    @classmethod
    def _required_fields_cannot_be_cleared(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null; omit it to leave it unchanged")
        return value


class TaskPublic(_Schema):
    """A task as the API returns it."""

    id: str = Field(examples=["01JNQ3V6X0T8M2A9B4C7D5E1FG"])
    title: str
    description: str | None = None
    status: TaskStatus
    priority: TaskPriority
    due_date: date | None = None
    tags: list[str]
    created_at: str
    updated_at: str
    version: int = Field(ge=1, description='The ETag is "v<version>"; send it back in If-Match')


class TaskList(_Schema):
    """One page of tasks."""

    tasks: list[TaskPublic]
    limit: int
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page"
    )
