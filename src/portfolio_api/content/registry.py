"""The content kinds by name (`blog`, `project`, `certification`), for features that only know
the name (analytics, feeds)."""

from __future__ import annotations

from portfolio_api.content.kind import ContentKind


def all_kinds() -> dict[str, ContentKind]:
    """Every content kind, by its name."""
    from portfolio_api.blog.service import BLOG
    from portfolio_api.certifications.service import CERTIFICATIONS
    from portfolio_api.projects.service import PROJECTS

    return {kind.name: kind for kind in (BLOG, PROJECTS, CERTIFICATIONS)}


def kind_named(name: str) -> ContentKind | None:
    """The kind called `name`, if there is one."""
    return all_kinds().get(name)
