"""`ContentKind`: what the shared machinery needs to know about one content type."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from portfolio_api.content.text import clean_label
from portfolio_api.db.codec import Item

Fields = dict[str, Any]


def _no_derived_fields(fields: Fields) -> Fields:
    return {}


@dataclass(frozen=True)
class ContentKind:
    """One content type: its key segment, schemas, sort field and filterable facets."""

    name: str
    """Key segment and publication-marker kind: `blog`, `project` or `certification`."""
    label: str
    """For messages: "Blog post"."""
    id_prefix: str
    """Ids look like `<id_prefix>_<hex>`; the underscore tells an id from a slug."""
    schema: type[BaseModel]
    """The response body (the contract's `BlogPost`, `Project`, `Certification`)."""
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    sort_field: str
    """Published items are listed newest first by this stored attribute."""
    facets: tuple[str, ...] = ()
    """Filterable attributes (a string, bool or list of strings); totals are kept per facet."""
    slug_source: str | None = None
    """The field a slug is generated from; None when the kind has no slugs."""
    site_ref: str | None = None
    """The field a published item's page on the site is addressed by (`slug` or `id`): such
    items are in the site index (GSI2) and the sitemap. None: the kind has no pages."""
    derive: Callable[[Fields], Fields] = field(default=_no_derived_fields)
    """Fields computed from the stored ones (e.g. `readTime`, `contentHtml`)."""
    compressed: tuple[str, ...] = ()
    """Long text attributes stored zlib-compressed as Binary (`content.compression`), each
    with the ones before it as its dictionary, so derived text goes after its source; none
    may appear in a filter or key expression."""

    def facet_keys(self, item: Item) -> list[str]:
        """Every filter combination `item` matches (one value per facet), as counter keys."""
        dimensions = [
            [facet_part(name, value) for value in facet_values(item.get(name))]
            for name in self.facets
        ]
        keys: list[str] = []
        for size in range(1, len(dimensions) + 1):
            for chosen in itertools.combinations(dimensions, size):
                keys.extend("&".join(parts) for parts in itertools.product(*chosen))
        return keys

    def filter_key(self, filters: dict[str, str | bool | None]) -> str | None:
        """The counter key of a combination of filters, or None when nothing is filtered."""
        parts = [
            facet_part(name, facet_values(filters[name])[0])
            for name in self.facets
            if filters.get(name) is not None
        ]
        return "&".join(parts) or None


def facet_values(value: Any) -> list[str]:
    """A facet's normalised values: strings as labels are stored (trimmed, inner whitespace
    collapsed) and case-folded, so that a filter matches what was saved; booleans as
    `true`/`false`."""
    if value is None:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, str):
        return [clean_label(value).casefold()]
    return sorted({clean_label(str(v)).casefold() for v in value})


def facet_part(name: str, value: str) -> str:
    """One `name=value` part of a counter key (the value percent-encoded, so `&` stays a
    separator)."""
    return f"{name}={quote(value, safe='')}"
