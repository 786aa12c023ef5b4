"""The projects' `ContentKind`: newest first publication first, filtered by `featured`."""

from __future__ import annotations

from portfolio_api.content.kind import ContentKind
from portfolio_api.projects.schemas import Project, ProjectCreate, ProjectUpdate

PROJECTS = ContentKind(
    name="project",
    label="Project",
    id_prefix="proj",
    schema=Project,
    create_schema=ProjectCreate,
    update_schema=ProjectUpdate,
    sort_field="firstPublishedAt",
    facets=("featured",),
    site_ref="id",
    compressed=("longDescription",),
)
