"""XML documents: an Atom feed of blog posts and a sitemap (xml.etree, imported on use)."""

from __future__ import annotations

from collections.abc import Iterable

from portfolio_api.db.codec import Item

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def atom_feed(
    *, posts: list[Item], site_url: str, feed_url: str, title: str, fallback_updated: str
) -> bytes:
    """An Atom 1.0 feed of blog posts, each with its sanitised HTML content."""
    import xml.etree.ElementTree as ET

    def child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    child(feed, "title", title)
    child(feed, "id", f"{site_url}/blog")
    child(feed, "link", href=f"{site_url}/blog")
    child(feed, "link", rel="self", href=feed_url)
    updated = max((str(post["updatedAt"]) for post in posts), default=fallback_updated)
    child(feed, "updated", updated)
    author = child(feed, "author")
    child(author, "name", site_url.split("//", 1)[-1])
    for post in posts:
        link = f"{site_url}/blog/{post['slug']}"
        entry = child(feed, "entry")
        child(entry, "title", str(post["title"]))
        child(entry, "id", link)
        child(entry, "link", href=link)
        child(entry, "published", str(post["publishAt"]))
        child(entry, "updated", str(post["updatedAt"]))
        child(entry, "summary", str(post["excerpt"]))
        child(entry, "content", str(post.get("contentHtml", "")), type="html")
        child(entry, "category", term=str(post["category"]))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def sitemap(urls: Iterable[tuple[str, str]]) -> bytes:
    """A sitemap of `(location, last modified)` pairs."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for location, modified in urls:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = location
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = modified[:10]
    return bytes(ET.tostring(urlset, encoding="utf-8", xml_declaration=True))
