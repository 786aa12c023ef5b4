"""Versions as strong ETags, and `If-Match`, for every versioned resource (content, resume,
tasks): one format, `"v<version>"`, and one parser. (The `IfMatch`/`ExpectedVersion`
dependencies built on it are in `deps.py`.)

Content items and the resume add a variant, `"v<version>-<8 hex digits>"`, drawn from what
else their representation depends on (which item it is, whether it is still scheduled; which
copy of the resume, and its publication), so that a 304 never answers for another
representation; tasks send `"v<version>"`. `If-Match` compares the version only.

`If-Match` uses the strong comparison (RFC 9110 13.1.1): a weak tag (`W/"v3"`) never
matches, and neither does anything this API did not send; both are a 412.
"""

from __future__ import annotations

import re
from typing import Literal

from portfolio_api.errors import PreconditionFailed

_VERSION_ETAG = re.compile(r'"v(\d{1,12})(?:-[0-9a-f]{8})?"')

AnyVersion = Literal["*"]


def version_etag(version: int, *, variant: str | None = None) -> str:
    """The strong ETag of an item version; `variant` (8 hex digits) tells apart
    representations of one version."""
    return f'"v{version}-{variant}"' if variant else f'"v{version}"'


def parse_if_match(value: str | None) -> int | AnyVersion | None:
    """The version an `If-Match` header names: a number, `*`, or None without the header."""
    if value is None:
        return None
    value = value.strip()
    if value == "*":
        return "*"
    match = _VERSION_ETAG.fullmatch(value)
    if match is None:
        raise PreconditionFailed(
            'If-Match must be one strong ETag this API sent, such as "v3", or *',
            details={"ifMatch": value[:100]},
        )
    return int(match.group(1))
