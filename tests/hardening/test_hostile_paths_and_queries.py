"""Path parameters that look like keys, cross kinds or break the path, and query numbers that
overflow: each is a clear 4xx in the Error format, reaches no other entity and writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.content.conftest import post_fields
from tests.hardening.conftest import Seed
from tests.hardening.faults import Snapshot, assert_error

# `{post}` is the seeded post's id: `CONTENT#blog#{post}` is that post's real partition key.
HOSTILE_IDS = {
    "blog key prefix": "BLOG%23x",
    "publication partition": "PUB%23blog",
    "task key": "TASK%23{task}",
    "full item key": "CONTENT%23blog%23{post}",
    "slug key": "SLUG%23blog%23first-post",
    "id with a key suffix": "{post}%23ITEM",
    "visitor counter": "VISITORS%23TOTAL",
    "unicode": "caf%C3%A9-%E2%9C%93-%F0%9F%98%80",
    "right-to-left override": "post_%E2%80%AEabc",
    "NUL": "post_%00",
    "encoded slash": "post_a%2Fb",
    "dot segments": "..%2F..%2Fhealth",
}
ID_ROUTES = {
    "blog get": ("GET", "/v1/blog/posts/{id}", None),
    "blog update": ("PUT", "/v1/blog/posts/{id}", {"title": "Hijacked"}),
    "blog delete": ("DELETE", "/v1/blog/posts/{id}", None),
    "blog publish": ("POST", "/v1/blog/posts/{id}/publish", None),
    "projects get": ("GET", "/v1/projects/{id}", None),
    "projects update": ("PUT", "/v1/projects/{id}", {"name": "Hijacked"}),
    "certifications get": ("GET", "/v1/certifications/{id}", None),
    "certifications unpublish": ("POST", "/v1/certifications/{id}/unpublish", None),
    "tasks get": ("GET", "/v1/tasks/{id}", None),
    "tasks update": ("PATCH", "/v1/tasks/{id}", {"title": "Hijacked"}),
    "tasks delete": ("DELETE", "/v1/tasks/{id}", None),
    "analytics views": ("GET", "/v1/analytics/views/blog/{id}", None),
}


def _ids(seed: Seed) -> dict[str, str]:
    return {"post": seed.post["id"], "task": seed.task["id"], "project": seed.project["id"]}


@pytest.mark.parametrize(("method", "path", "body"), ID_ROUTES.values(), ids=ID_ROUTES)
def test_a_hostile_id_is_404_and_reaches_no_other_item(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    method: str,
    path: str,
    body: dict[str, str] | None,
) -> None:
    before = items()
    for case, raw in HOSTILE_IDS.items():
        url = path.format(id=raw.format(**_ids(seeded)))
        response = client.request(method, url, json=body, headers=owner_headers)
        assert_error(response, 404, case)
        assert seeded.post["title"] not in response.text, case
        assert seeded.task["title"] not in response.text, case
    assert items() == before


CROSS_KIND = {
    "post id as project": ("GET", "/v1/projects/{post}", None),
    "project id as post": ("GET", "/v1/blog/posts/{project}", None),
    "post id as certification update": ("PUT", "/v1/certifications/{post}", {"name": "X"}),
    "project id as post delete": ("DELETE", "/v1/blog/posts/{project}", None),
    "post id as task update": ("PATCH", "/v1/tasks/{post}", {"title": "X"}),
    "task id as post": ("GET", "/v1/blog/posts/{task}", None),
    "post id as project views": ("GET", "/v1/analytics/views/project/{post}", None),
}


@pytest.mark.parametrize(("method", "path", "body"), CROSS_KIND.values(), ids=CROSS_KIND)
def test_an_id_of_another_kind_is_404_and_writes_nothing(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    method: str,
    path: str,
    body: dict[str, str] | None,
) -> None:
    before = items()
    response = client.request(method, path.format(**_ids(seeded)), json=body, headers=owner_headers)
    assert_error(response, 404)
    assert items() == before


def test_tracking_a_view_of_an_id_under_another_kind_is_404_and_counts_nothing(
    client: TestClient, seeded: Seed, items: Callable[[], Snapshot]
) -> None:
    before = items()
    for kind in ("project", "certification"):
        view = {"contentType": kind, "contentId": seeded.post["id"]}
        assert_error(client.post("/v1/analytics/track", json=view), 404, kind)
    assert items() == before


@pytest.mark.parametrize("content_id", ["PUB#blog", "x/../y", "a b", "é", "x" * 129, ""])
def test_tracking_a_view_of_a_malformed_content_id_is_400_and_counts_nothing(
    client: TestClient, seeded: Seed, items: Callable[[], Snapshot], content_id: str
) -> None:
    before = items()
    view = {"contentType": "blog", "contentId": content_id}
    body = assert_error(client.post("/v1/analytics/track", json=view), 400)
    assert body["details"]["fields"][0]["field"] == "body.contentId"
    assert items() == before


def test_key_attributes_in_a_create_body_are_ignored(
    client: TestClient, seeded: Seed, owner_headers: dict[str, str], items: Callable[[], Snapshot]
) -> None:
    forged = {
        "PK": "VISITORS",
        "SK": "TOTAL",
        "GSI1PK": "LIST#blog",
        "GSI1SK": "PUB#9999#post_forged",
        "id": "post_forged",
        "version": 99,
        "status": "published",
        "count": 1_000_000,
    }
    before = items()
    response = client.post(
        "/v1/blog/posts", json=post_fields(slug="forged", **forged), headers=owner_headers
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"] != "post_forged"
    assert (created["status"], created["version"]) == ("draft", 1)
    after = items()
    assert after[("VISITORS", "TOTAL")] == before[("VISITORS", "TOTAL")]
    assert ("CONTENT#blog#post_forged", "ITEM") not in after
    new_keys = set(after) - set(before)
    assert new_keys == {(f"CONTENT#blog#{created['id']}", "ITEM"), ("SLUG#blog#forged", "SLUG")}


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/v1/tasks"), ("PATCH", "/v1/tasks/{task}"), ("PUT", "/v1/blog/posts/{post}")],
)
def test_key_attributes_in_a_strict_body_are_400(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    method: str,
    path: str,
) -> None:
    before = items()
    forged = {"title": "Forged", "PK": "VISITORS", "SK": "TOTAL", "id": "x", "version": 9}
    response = client.request(
        method, path.format(**_ids(seeded)), json=forged, headers=owner_headers
    )
    fields = {f["field"] for f in assert_error(response, 400)["details"]["fields"]}
    assert {"body.PK", "body.SK"} <= fields
    assert items() == before


OVERFLOWING_QUERIES = {
    "blog": ("/v1/blog/posts", ["limit", "offset"]),
    "projects": ("/v1/projects", ["limit", "offset"]),
    "certifications": ("/v1/certifications", ["limit", "offset"]),
    "tasks": ("/v1/tasks", ["limit"]),
    "analytics": ("/v1/analytics/top-content", ["limit"]),
    "visitors daily": ("/v1/visitors/trends/daily", ["days"]),
    "visitors monthly": ("/v1/visitors/trends/monthly", ["months"]),
    "resume pdf": ("/v1/resume/pdf", ["redirect"]),
    "resume": ("/v1/resume", ["format"]),
}
BAD_NUMBERS = [
    "99999999999999999999",
    "-1",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "1.5",
    "0x10",
    "",
]


@pytest.mark.parametrize(("path", "names"), OVERFLOWING_QUERIES.values(), ids=OVERFLOWING_QUERIES)
def test_query_numbers_that_overflow_or_are_not_integers_are_400(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    path: str,
    names: list[str],
) -> None:
    before = items()
    for name in names:
        for value in BAD_NUMBERS:
            if (name, value) == ("offset", "99999999999999999999"):
                continue  # an integer: refused by the service's own bound (next test)
            response = client.get(path, params={name: value}, headers=owner_headers)
            body = assert_error(response, 400, f"{name}={value}")
            assert body["details"]["fields"][0]["field"] == f"query.{name}", f"{name}={value}"
    assert items() == before


@pytest.mark.parametrize("path", ["/v1/blog/posts", "/v1/projects", "/v1/certifications"])
def test_an_offset_past_the_bound_is_400_naming_the_cursor(
    client: TestClient, seeded: Seed, path: str
) -> None:
    response = client.get(path, params={"offset": "99999999999999999999"})
    body = assert_error(response, 400)
    assert body["details"] == {"field": "offset"}
    assert "nextCursor" in body["message"]
