"""GET /v1/visitors/badge.svg: a small, cacheable, inert SVG with the count."""

from __future__ import annotations

from xml.etree import ElementTree

from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.visitors import badge
from tests.visitors.conftest import FIREFOX, SAFARI, browser

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def test_badge_is_an_svg_showing_the_count(client: TestClient, clock: FixedClock) -> None:
    for agent in (FIREFOX, SAFARI):
        client.post("/v1/visitors/track", headers=browser(agent))
    response = client.get("/v1/visitors/badge.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    root = _parse(response.text)
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == "visitors: 2"
    assert [t.text for t in root.iter(f"{SVG}text")][-1] == "2"


def test_badge_is_cacheable_for_a_minute(client: TestClient) -> None:
    response = client.get("/v1/visitors/badge.svg")
    assert response.headers["cache-control"] == "public, max-age=60"


def test_badge_is_safe_to_embed(client: TestClient) -> None:
    response = client.get("/v1/visitors/badge.svg")
    root = _parse(response.text)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not tags & {"script", "foreignObject", "image", "a", "use"}
    assert not any("href" in name or name.startswith("on") for name in attributes)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_large_counts_are_grouped_and_widen_the_badge() -> None:
    small = _parse(badge.render(label="visitors", value=7))
    large = _parse(badge.render(label="visitors", value=1_234_567))
    assert large.findtext(f"{SVG}title") == "visitors: 1,234,567"
    assert int(large.attrib["width"]) > int(small.attrib["width"])


def test_markup_in_a_label_is_escaped() -> None:
    root = _parse(badge.render(label='<script>"x"</script>', value=1))
    assert root.findtext(f"{SVG}title") == '<script>"x"</script>: 1'
    assert not [e for e in root.iter() if e.tag.endswith("script")]
