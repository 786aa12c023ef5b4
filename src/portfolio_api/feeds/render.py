"""XML documents: an Atom feed of blog posts and a sitemap (xml.etree, imported on use)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from portfolio_api.db.codec import Item

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"

_DNS_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
"""RFC 4151's `DNSname`: the authority of a tag URI."""
NO_DNS_NAME = "invalid"
"""The authority used when the site's host is no DNS name (an IP v6 literal, a name with `_`):
a name RFC 6761 reserves as never registered. In practice only the API's own address, used
when neither SITE_URL nor CORS_ORIGINS is set (local use)."""


def tag_authority(site_url: str) -> str:
    """The host name of `site_url` as a tag URI's authority (RFC 4151): lower case, IDNA."""
    host = urlsplit(site_url).hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return NO_DNS_NAME
    return host if _DNS_NAME.fullmatch(host) else NO_DNS_NAME


def entry_id(post: Item, authority: str) -> str:
    """A post's permanent Atom id (RFC 4287 4.2.6): a tag URI (RFC 4151) of its immutable
    identity, `tag:<site host>,<creation date>:blog/<post id>`. Neither a new slug nor a later
    post with the same slug changes or reuses it; post ids are random and never reassigned."""
    created = str(post["createdAt"])[:10]  # UTC `YYYY-MM-DD`, set once by `create`
    return f"tag:{authority},{created}:blog/{post['id']}"


def last_modified(item: Item) -> str:
    """When a public item last changed as its readers see it: its `updatedAt`, or its
    `publishAt` if later (a scheduled item changes when it goes live, not when scheduled)."""
    return max(str(item["updatedAt"]), str(item.get("publishAt") or ""))


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
    updated = max((last_modified(post) for post in posts), default=fallback_updated)
    child(feed, "updated", updated)
    author = child(feed, "author")
    child(author, "name", site_url.split("//", 1)[-1])
    authority = tag_authority(site_url)
    for post in posts:
        link = f"{site_url}/blog/{post['slug']}"
        entry = child(feed, "entry")
        child(entry, "title", str(post["title"]))
        child(entry, "id", entry_id(post, authority))
        child(entry, "link", href=link)
        # RFC 4287 4.2.9: the entry's first availability, which a later re-publish keeps.
        child(entry, "published", str(post.get("firstPublishedAt") or post["publishAt"]))
        child(entry, "updated", last_modified(post))
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
