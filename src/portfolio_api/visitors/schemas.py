"""Request and response bodies of the visitor routes (the contract's `Visitors` tag)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class VisitorCount(BaseModel):
    """The all-time number of counted visits."""

    count: int = Field(ge=0, examples=[1247])


class TrackedVisit(BaseModel):
    """The counter after a track call, and whether this call was counted."""

    count: int = Field(ge=0, examples=[1248])
    tracked: bool = Field(description="Whether this visit was counted (false if duplicate)")
