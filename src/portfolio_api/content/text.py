"""Text rules of content: slugs, labels (tags, categories), Markdown rendering, read time."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

SLUG_MAX = 80
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
WORDS_PER_MINUTE = 200

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Markdown link targets and fenced code markers are not read aloud.
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


def slugify(text: str) -> str:
    """A URL slug from a title: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    return slug or "untitled"


def with_suffix(slug: str, suffix: str) -> str:
    """An alternative of a taken slug: `slug-<suffix>` (`slug-2`), within SLUG_MAX."""
    ending = f"-{suffix}"
    return slug[: SLUG_MAX - len(ending)].rstrip("-") + ending


def clean_label(text: str) -> str:
    """A tag or category as stored: trimmed, inner whitespace collapsed."""
    return _SPACES.sub(" ", text).strip()


def unique_labels(labels: Iterable[str]) -> list[str]:
    """Cleaned labels without blanks or case-insensitive duplicates, first spelling kept."""
    seen: set[str] = set()
    result: list[str] = []
    for label in labels:
        cleaned = clean_label(label)
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            result.append(cleaned)
    return result


def read_time(markdown: str) -> str:
    """The estimated reading time of Markdown text, e.g. `5 min read` (at least one minute)."""
    words = len(_WORD.findall(_LINK_TARGET.sub("]", markdown)))
    return f"{max(1, math.ceil(words / WORDS_PER_MINUTE))} min read"


def render_markdown(markdown: str) -> str:
    """Markdown as sanitised HTML: no scripts, no event handlers, only safe URL schemes."""
    import nh3
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return nh3.clean(
        html,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
