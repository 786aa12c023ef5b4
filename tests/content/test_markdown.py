"""Markdown is rendered to HTML with nothing executable left in it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from portfolio_api.content.text import read_time, render_markdown, slugify, unique_labels

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<body onload=alert(1)>",
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<<script>script>alert(1)<</script>/script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<details open ontoggle=alert(1)>",
]


class _Elements(HTMLParser):
    """Every start tag of a document with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


SAFE_TAGS = {"p", "a", "img", "div", "em", "strong", "code", "pre", "table", "details"}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendered_markdown_has_no_executable_html(payload: str) -> None:
    parser = _Elements()
    parser.feed(render_markdown(f"Before\n\n{payload}\n\nAfter"))
    for tag, attrs in parser.found:
        assert tag in SAFE_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name != "style"
            if name in ("href", "src", "action", "data"):
                assert (value or "").startswith(("https:", "http:", "mailto:", "x")), value


def test_markdown_keeps_safe_formatting_and_links() -> None:
    html = render_markdown("**bold** [site](https://example.com) `code`")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>' in html
    assert "<code>code</code>" in html


def test_read_time_is_at_least_one_minute_and_grows_with_words() -> None:
    assert read_time("one two") == "1 min read"
    assert read_time("word " * 1000) == "5 min read"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Building Scalable APIs with FastAPI", "building-scalable-apis-with-fastapi"),
        ("  Café & Crème: déjà vu!  ", "cafe-creme-deja-vu"),
        ("!!!", "untitled"),
        ("x" * 200, "x" * 80),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_labels_are_trimmed_and_unique_regardless_of_case() -> None:
    assert unique_labels([" AWS", "aws ", "Cloud  Native", "", "cloud native"]) == [
        "AWS",
        "Cloud Native",
    ]
