"""The certifications' `ContentKind`: most recently earned first, filtered by type and
`featured`."""

from __future__ import annotations

import datetime as dt

from portfolio_api.certifications.schemas import (
    Certification,
    CertificationCreate,
    CertificationUpdate,
)
from portfolio_api.content.kind import ContentKind
from portfolio_api.errors import BadRequest

EARLIEST_DATE_EARNED = dt.date(1950, 1, 1)

CERTIFICATIONS = ContentKind(
    name="certification",
    label="Certification",
    id_prefix="cert",
    schema=Certification,
    create_schema=CertificationCreate,
    update_schema=CertificationUpdate,
    sort_field="dateEarned",
    facets=("type", "featured"),
    compressed=("description",),
)


def check_date_earned(*, date_earned: dt.date | None, now: dt.datetime) -> None:
    """400 naming `dateEarned` unless it is from 1950 to tomorrow (UTC); None: not sent."""
    # The public list sorts by it, newest first: a typo such as 2999 would pin an item to
    # the top for good. Tomorrow, not today: where the owner is, it may already be tomorrow.
    if date_earned is None:
        return
    latest = now.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    if not EARLIEST_DATE_EARNED <= date_earned <= latest:
        raise BadRequest(
            f"dateEarned must be from {EARLIEST_DATE_EARNED.isoformat()} to"
            f" {latest.isoformat()}, not {date_earned.isoformat()}",
            details={"field": "dateEarned"},
        )
