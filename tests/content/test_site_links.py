"""The feed's and the sitemap's links point at the portfolio site: `SITE_URL`, else the first
CORS origin, never at an origin the owner only uses for the dashboard."""

from __future__ import annotations

from xml.etree import ElementTree

from fastapi.testclient import TestClient

from portfolio_api.config import Settings
from portfolio_api.main import create_app
from tests.conftest import TEST_ORIGIN
from tests.content.conftest import MakeItem

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://jane.example"
DASHBOARD = "https://admin.jane.example"


def feed_links(client: TestClient) -> list[str]:
    root = ElementTree.fromstring(client.get("/v1/blog/feed.xml").content)  # noqa: S314
    return [str(link.get("href")) for link in root.iter(f"{ATOM}link") if not link.get("rel")]


def sitemap_locations(client: TestClient) -> list[str]:
    root = ElementTree.fromstring(client.get("/v1/sitemap.xml").content)  # noqa: S314
    return [str(loc.text) for loc in root.iter(f"{SITEMAP}loc")]


def test_links_use_site_url_rather_than_a_cors_origin(
    settings: Settings, make_post: MakeItem, make_project: MakeItem
) -> None:
    post = make_post(title="Hello there", publish=True)
    project = make_project(name="Garden", publish=True)
    site = settings.model_copy(update={"site_url": SITE, "cors_origins": [DASHBOARD, SITE]})
    with TestClient(create_app(site)) as client:
        assert feed_links(client) == [f"{SITE}/blog", f"{SITE}/blog/{post['slug']}"]
        assert sitemap_locations(client) == [
            f"{SITE}/blog/{post['slug']}",
            f"{SITE}/projects/{project['id']}",
        ]


def test_without_site_url_links_use_the_first_cors_origin(
    client: TestClient, settings: Settings, make_post: MakeItem
) -> None:
    post = make_post(title="Hello there", publish=True)
    assert settings.site_url is None
    assert settings.cors_origins[0] == TEST_ORIGIN
    assert sitemap_locations(client) == [f"{TEST_ORIGIN}/blog/{post['slug']}"]
    assert feed_links(client)[0] == f"{TEST_ORIGIN}/blog"
