"""The blog's `ContentKind`: posts sorted by first publication, filtered by category and tag."""

from __future__ import annotations

from portfolio_api.blog.schemas import BlogPost, BlogPostCreate, BlogPostUpdate
from portfolio_api.content import text
from portfolio_api.content.kind import ContentKind, Fields


def derive(fields: Fields) -> Fields:
    """The reading time and sanitised HTML of a post's Markdown."""
    content = str(fields["content"])
    return {"readTime": text.read_time(content), "contentHtml": text.render_markdown(content)}


BLOG = ContentKind(
    name="blog",
    label="Blog post",
    id_prefix="post",
    schema=BlogPost,
    create_schema=BlogPostCreate,
    update_schema=BlogPostUpdate,
    sort_field="firstPublishedAt",
    facets=("category", "tags"),
    slug_source="title",
    site_ref="slug",
    derive=derive,
    compressed=("content", "contentHtml"),
)
