"""Request and response bodies of the analytics routes (the contract's `Analytics` tag)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

ContentType = Literal["blog", "project", "certification"]
CONTENT_ID_PATTERN = r"^[A-Za-z0-9._~-]{1,128}$"
ContentId = Annotated[
    str, Field(pattern=CONTENT_ID_PATTERN, description="ID of the content item", examples=["1"])
]


class TrackView(BaseModel):
    """A view of one content item."""

    contentId: ContentId
    contentType: ContentType


class TrackedView(BaseModel):
    """The item's views after a track call, and whether this call was counted."""

    views: int = Field(ge=0, description="Updated view count for this content", examples=[42])
    tracked: bool = Field(description="Whether this view was counted (false if duplicate)")


class ContentViews(BaseModel):
    """The views of one content item."""

    contentId: str = Field(examples=["1"])
    contentType: ContentType
    views: int = Field(ge=0, examples=[42])


class ViewStats(BaseModel):
    """Views of the items of one type, by content id: every published or scheduled item (0 if
    never viewed), and unpublished items that have views."""

    contentType: ContentType
    stats: dict[str, int] = Field(description="Map of content ID to view count")


class ContentViewStat(BaseModel):
    """One item in a top-content list."""

    contentId: str = Field(examples=["1"])
    views: int = Field(ge=0, examples=[150])


class TopContent(BaseModel):
    """The most viewed items of each type, most viewed first."""

    blogs: list[ContentViewStat]
    projects: list[ContentViewStat]
    certifications: list[ContentViewStat]


class TotalViews(BaseModel):
    """Views of all content."""

    totalViews: int = Field(ge=0, examples=[5234])
