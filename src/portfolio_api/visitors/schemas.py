"""Request and response bodies of the visitor routes (the contract's `Visitors` tag)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
)  # fmt: skip
"""English whatever the process locale (strftime's `%b` is not)."""


class VisitorCount(BaseModel):
    """The all-time number of counted visits."""

    count: int = Field(ge=0, examples=[1247])


class TrackedVisit(BaseModel):
    """The counter after a track call, and whether this call was counted."""

    count: int = Field(ge=0, examples=[1248])
    tracked: bool = Field(description="Whether this visit was counted (false if duplicate)")


class CounterHit(BaseModel):
    """The counter in every shape Cloud Resume Challenge pages read it: `count`, `visits`,
    `body`."""

    count: int = Field(ge=0, examples=[1248])
    visits: int = Field(ge=0, examples=[1248], description="Same as `count`")
    body: int = Field(ge=0, examples=[1248], description="Same as `count`")
    tracked: bool = Field(description="Whether this visit was counted (false if duplicate)")

    @classmethod
    def of(cls, count: int, tracked: bool) -> CounterHit:
        """The hit answer for a counter value."""
        return cls(count=count, visits=count, body=count, tracked=tracked)


class DailyVisitors(BaseModel):
    """Visitors on one UTC day."""

    date: str = Field(description='Date in format "MMM DD"', examples=["Dec 16"])
    visitors: int = Field(ge=0, examples=[45])

    @classmethod
    def of(cls, day: dt.date, visitors: int) -> DailyVisitors:
        """The contract's entry for `day`."""
        return cls(date=f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.day:02d}", visitors=visitors)


class MonthlyVisitors(BaseModel):
    """Visitor-days in one UTC month (visitors are de-duplicated per day, not per month)."""

    month: str = Field(description="Month abbreviation", examples=["Dec"])
    visitors: int = Field(ge=0, examples=[850])

    @classmethod
    def of(cls, month: dt.date, visitors: int) -> MonthlyVisitors:
        """The contract's entry for the month of `month`."""
        return cls(month=MONTH_ABBREVIATIONS[month.month - 1], visitors=visitors)


class DailyTrends(BaseModel):
    """Visitors per day, oldest first, one entry per day (days without visits are 0)."""

    trends: list[DailyVisitors]


class MonthlyTrends(BaseModel):
    """Visitor-days per month, oldest first, one entry per month (0 for a month without any)."""

    trends: list[MonthlyVisitors]
