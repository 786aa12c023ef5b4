"""Bodies of the Blog Posts routes, camelCase as in the contract."""

from __future__ import annotations

from pydantic import Field

from portfolio_api.content.schemas import (
    CategoryCount,
    ContentPublic,
    Label,
    Labels,
    Patch,
    Schema,
    Slug,
    Url,
)

CONTENT_MAX = 100_000
"""Characters of Markdown; with its rendered HTML it still fits one DynamoDB item."""


class BlogPostCreate(Schema):
    """A new post (created as a draft)."""

    title: str = Field(min_length=1, max_length=200, examples=["Building Scalable APIs"])
    excerpt: str = Field(min_length=1, max_length=500)
    content: str = Field(min_length=1, max_length=CONTENT_MAX, description="Markdown")
    category: Label = Field(examples=["Backend"])
    tags: Labels = Field(examples=[["python", "fastapi"]])
    slug: Slug | None = Field(default=None, description="Generated from the title if omitted")
    meta_title: str | None = Field(default=None, max_length=120)
    meta_description: str | None = Field(default=None, max_length=320)
    cover_image_url: Url | None = None


class BlogPostUpdate(Patch):
    """Fields to change; the others keep their values. The item's read-only fields (`id`,
    `status`, `version`, timestamps...) may be sent back with it and are ignored."""

    NULLABLE = frozenset({"meta_title", "meta_description", "cover_image_url"})
    READ_ONLY = Patch.READ_ONLY | {"contentHtml", "readTime", "publishedAt"}

    title: str | None = Field(default=None, min_length=1, max_length=200)
    excerpt: str | None = Field(default=None, min_length=1, max_length=500)
    content: str | None = Field(default=None, min_length=1, max_length=CONTENT_MAX)
    category: Label | None = Field(default=None)
    tags: Labels | None = Field(default=None)
    slug: Slug | None = Field(default=None)
    meta_title: str | None = Field(default=None, max_length=120)
    meta_description: str | None = Field(default=None, max_length=320)
    cover_image_url: Url | None = None


class BlogPost(ContentPublic):
    """The contract's `BlogPost`, with the rendered HTML and SEO fields."""

    slug: str
    title: str
    excerpt: str
    content: str = Field(description="Markdown")
    content_html: str = Field(description="The content rendered to sanitised HTML")
    category: str
    read_time: str = Field(examples=["5 min read"])
    published_at: str = Field(description="Date of first publication; empty string for drafts")
    tags: list[str]
    meta_title: str | None = None
    meta_description: str | None = None
    cover_image_url: str | None = None


class BlogPostList(Schema):
    """A page of posts."""

    posts: list[BlogPost]
    total: int = Field(description="Posts matching the filters")
    limit: int
    offset: int
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at end")


class BlogCategories(Schema):
    """Categories of public posts, by name, with their counts."""

    categories: list[str]
    counts: list[CategoryCount]
