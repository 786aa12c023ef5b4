"""Bodies of the Certifications routes, camelCase as in the contract."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from portfolio_api.content.schemas import ContentPublic, Patch, Schema, Url

CertificationType = Literal["certification", "course"]
DATE_EARNED = "From 1950-01-01 to tomorrow (UTC); lists sort by it, newest first"


class CertificationCreate(Schema):
    """A new certification or course (created as a draft)."""

    name: str = Field(min_length=1, max_length=200)
    issuer: str = Field(min_length=1, max_length=200)
    icon: str = Field(min_length=1, max_length=10, description="An emoji or icon identifier")
    type: CertificationType
    featured: bool = False
    description: str = Field(min_length=1, max_length=5_000)
    credential_url: Url | None = None
    date_earned: dt.date = Field(description=DATE_EARNED)


class CertificationUpdate(Patch):
    """Fields to change; the others keep their values. The item's read-only fields (`id`,
    `status`, `version`, timestamps...) may be sent back with it and are ignored."""

    NULLABLE = frozenset({"credential_url"})

    name: str | None = Field(default=None, min_length=1, max_length=200)
    issuer: str | None = Field(default=None, min_length=1, max_length=200)
    icon: str | None = Field(default=None, min_length=1, max_length=10)
    type: CertificationType | None = Field(default=None)
    featured: bool | None = Field(default=None)
    description: str | None = Field(default=None, min_length=1, max_length=5_000)
    credential_url: Url | None = None
    date_earned: dt.date | None = Field(default=None, description=DATE_EARNED)


class Certification(ContentPublic):
    """The contract's `Certification`."""

    name: str
    issuer: str
    icon: str
    type: CertificationType
    featured: bool
    description: str
    credential_url: str | None = None
    date_earned: dt.date


class CertificationList(Schema):
    """A page of certifications and courses."""

    certifications: list[Certification]
    total: int = Field(description="Items matching the filters")
    limit: int
    offset: int
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at end")
