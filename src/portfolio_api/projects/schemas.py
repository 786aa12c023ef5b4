"""Bodies of the Projects routes, camelCase as in the contract."""

from __future__ import annotations

from pydantic import Field

from portfolio_api.content.schemas import ContentPublic, Labels, Patch, Schema, Url

LONG_DESCRIPTION_MAX = 50_000


class ProjectCreate(Schema):
    """A new project (created as a draft)."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=500)
    long_description: str = Field(min_length=1, max_length=LONG_DESCRIPTION_MAX)
    tech: Labels = Field(examples=[["Python", "Django"]])
    company: str = Field(min_length=1, max_length=200)
    featured: bool = False
    github_url: Url | None = None
    live_url: Url | None = None
    image_url: Url | None = None


class ProjectUpdate(Patch):
    """Fields to change; the others keep their values. The item's read-only fields (`id`,
    `status`, `version`, timestamps...) may be sent back with it and are ignored."""

    NULLABLE = frozenset({"github_url", "live_url", "image_url"})

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, min_length=1, max_length=500)
    long_description: str | None = Field(
        default=None, min_length=1, max_length=LONG_DESCRIPTION_MAX
    )
    tech: Labels | None = Field(default=None)
    company: str | None = Field(default=None, min_length=1, max_length=200)
    featured: bool | None = Field(default=None)
    github_url: Url | None = None
    live_url: Url | None = None
    image_url: Url | None = None


class Project(ContentPublic):
    """The contract's `Project`."""

    name: str
    description: str
    long_description: str = Field(description="Markdown")
    tech: list[str]
    company: str
    featured: bool
    github_url: str | None = None
    live_url: str | None = None
    image_url: str | None = None


class ProjectList(Schema):
    """A page of projects."""

    projects: list[Project]
    total: int = Field(description="Projects matching the filters")
    limit: int
    offset: int
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at end")
