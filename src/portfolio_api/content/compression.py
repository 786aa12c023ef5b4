"""Long text attributes of content items, stored zlib-compressed as Binary.

DynamoDB bills a read per 4 KB and a write per 1 KB of the whole item, and the list index
projects every attribute, so a post's Markdown and HTML decide what reading a list page or
editing a post costs. Each kind names its long text attributes, in order
(`ContentKind.compressed`: blog `content` then `contentHtml`, project `longDescription`,
certification `description`). The repository passes every item it writes through `compress`
and every item it reads through `decompress`; nothing else sees the stored form.

Stored form: the attribute keeps its name and becomes a Binary holding a zlib stream
(RFC 1950) of its UTF-8 text, when the text is at least `MIN_BYTES` long and the stream is
smaller. Each attribute's stream uses the texts of the attributes listed before it as zlib's
preset dictionary, so a post's HTML, which repeats its Markdown's words, costs little more
than its tags. A String is the text itself: short texts, and items written before
compression, which are rewritten compressed at their next write. Filter and key expressions
would see only bytes, so they never name these attributes.
"""

from __future__ import annotations

import zlib

from portfolio_api.content.kind import ContentKind
from portfolio_api.db.codec import Item

LEVEL = 6
"""zlib's default: within a few percent of level 9 on prose, at a fraction of the time."""
MIN_BYTES = 512
"""Shorter texts are stored as they are: they would save a few bytes, not a capacity unit."""
MAX_TEXT_BYTES = 400_000
"""No stored text is longer (DynamoDB's item limit; the service checks items uncompressed),
so a stream that would expand beyond it is corrupt, not text."""


def compress(kind: ContentKind, item: Item) -> Item:
    """`item` as stored: the kind's long text attributes compressed where that saves space."""
    stored = dict(item)
    dictionary = b""
    for name in kind.compressed:
        value = item.get(name)
        if not isinstance(value, str):
            continue
        text = value.encode()
        if len(text) >= MIN_BYTES:
            packer = zlib.compressobj(LEVEL, zdict=dictionary)  # b"": no dictionary
            packed = packer.compress(text) + packer.flush()
            if len(packed) < len(text):
                stored[name] = packed
        dictionary += text
    return stored


def decompress(kind: ContentKind, item: Item) -> Item:
    """`item` as the app uses it: compressed attributes back to text, plain ones unchanged."""
    if not any(isinstance(item.get(name), bytes) for name in kind.compressed):
        return item
    plain = dict(item)
    dictionary = b""
    for name in kind.compressed:
        value = item.get(name)
        if isinstance(value, bytes):
            text = _inflate(name, value, dictionary)
            plain[name] = text.decode()
        elif isinstance(value, str):
            text = value.encode()
        else:
            continue
        dictionary += text
    return plain


def _inflate(name: str, data: bytes, dictionary: bytes) -> bytes:
    inflater = zlib.decompressobj(zdict=dictionary)
    text = inflater.decompress(data, MAX_TEXT_BYTES)
    if not inflater.eof:
        raise ValueError(f"{name}: not a complete zlib stream of at most {MAX_TEXT_BYTES} bytes")
    return text
