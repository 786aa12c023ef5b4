"""A shields-style SVG badge showing the visitor count."""

from __future__ import annotations

from xml.sax.saxutils import escape

_NARROW = frozenset(" ,.:;'!|il")
_QUOTES = {'"': "&quot;", "'": "&apos;"}
_PADDING = 6


def _text_width(text: str) -> int:
    """Approximate width of `text` in Verdana 11px (the shields.io font), in pixels."""
    widths = (3.6 if c in _NARROW else 7.5 if c.isupper() or c.isdigit() else 6.4 for c in text)
    return round(sum(widths))


def render(*, label: str, value: int, color: str = "#007ec6") -> str:
    """The badge `label | value` as a standalone SVG document (no scripts, no external refs)."""
    shown = f"{value:,}"
    label_width = _text_width(label) + 2 * _PADDING
    value_width = _text_width(shown) + 2 * _PADDING
    width = label_width + value_width
    label_x = label_width / 2
    value_x = label_width + value_width / 2
    label_text, value_text = escape(label, _QUOTES), escape(shown, _QUOTES)
    fill = escape(color, _QUOTES)
    title = f"{label_text}: {value_text}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{title}">'
        f"<title>{title}</title>"
        '<linearGradient id="s" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        '<g clip-path="url(#r)">'
        f'<rect width="{label_width}" height="20" fill="#555"/>'
        f'<rect x="{label_width}" width="{value_width}" height="20" fill="{fill}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{label_x}" y="15" fill="#010101" fill-opacity=".3">{label_text}</text>'
        f'<text x="{label_x}" y="14">{label_text}</text>'
        f'<text x="{value_x}" y="15" fill="#010101" fill-opacity=".3">{value_text}</text>'
        f'<text x="{value_x}" y="14">{value_text}</text></g></svg>'
    )
