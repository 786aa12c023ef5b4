"""The certifications' `ContentKind`: most recently earned first, filtered by type and
`featured`."""

from __future__ import annotations

from portfolio_api.certifications.schemas import (
    Certification,
    CertificationCreate,
    CertificationUpdate,
)
from portfolio_api.content.kind import ContentKind

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
