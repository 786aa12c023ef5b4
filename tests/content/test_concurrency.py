"""No lost updates and no duplicate slugs, whatever the interleaving."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from fastapi.testclient import TestClient

from portfolio_api.blog.service import BLOG
from portfolio_api.clock import FixedClock
from portfolio_api.content import repository
from portfolio_api.content import service as content
from portfolio_api.db.table import Table
from portfolio_api.errors import Conflict, PreconditionFailed
from tests.content.conftest import START, MakeItem, post_fields

Headers = dict[str, str]
RACERS = 6

pytestmark = pytest.mark.usefixtures("atomic_requests")


def _race(calls: list[tuple[str, str, dict]], client: TestClient) -> list[int]:
    barrier = Barrier(len(calls))

    def run(call: tuple[str, str, dict]) -> int:
        method, path, kwargs = call
        barrier.wait()
        return client.request(method, path, **kwargs).status_code

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_concurrent_updates_from_one_version_let_exactly_one_win(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    headers = {**owner_headers, "If-Match": '"v1"'}
    path = f"/v1/blog/posts/{post['id']}"
    calls = [("PUT", path, {"json": {"title": f"t{i}"}, "headers": headers}) for i in range(RACERS)]
    statuses = _race(calls, client)
    assert sorted(statuses) == [200] + [412] * (RACERS - 1)
    assert client.get(path, headers=owner_headers).json()["version"] == 2


def test_a_write_based_on_a_stale_read_fails_its_condition(table: Table, clock: FixedClock) -> None:
    post = content.create(table=table, kind=BLOG, fields=post_fields(), now=START)
    content.update(
        table=table,
        kind=BLOG,
        item_id=post["id"],
        fields={"title": "x"},
        expected_version=1,
        now=START,
    )
    stale_change = {**post, "title": "lost update", "version": 2}
    with pytest.raises(PreconditionFailed):
        repository.commit(
            table=table,
            kind=BLOG,
            old=post,
            new=stale_change,
            marker=None,
            counters=None,
            if_match=True,
        )
    with pytest.raises(Conflict):
        repository.commit(
            table=table,
            kind=BLOG,
            old=post,
            new=stale_change,
            marker=None,
            counters=None,
            if_match=False,
        )


@pytest.mark.parametrize("method", ["DELETE", "POST /publish", "POST /unpublish"])
def test_stale_if_match_is_412_for_every_change(
    client: TestClient, owner_headers: Headers, make_post: MakeItem, method: str
) -> None:
    post = make_post()
    client.put(f"/v1/blog/posts/{post['id']}", json={"title": "v2"}, headers=owner_headers)
    verb, _, suffix = method.partition(" ")
    response = client.request(
        verb, f"/v1/blog/posts/{post['id']}{suffix}", headers={**owner_headers, "If-Match": '"v1"'}
    )
    assert response.status_code == 412
    assert response.json()["details"] == {"currentVersion": 2}


def test_current_if_match_is_accepted(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    post = make_post()
    response = client.post(
        f"/v1/blog/posts/{post['id']}/publish", headers={**owner_headers, "If-Match": '"v1"'}
    )
    assert response.status_code == 200


def test_concurrent_creates_with_one_title_get_distinct_slugs(
    client: TestClient, owner_headers: Headers, clock: FixedClock
) -> None:
    calls = [("POST", "/v1/blog/posts", {"json": post_fields(), "headers": owner_headers})] * RACERS
    assert _race(calls, client) == [201] * RACERS
    listing = client.get("/v1/blog/posts", params={"status": "all"}, headers=owner_headers).json()
    slugs = {post["slug"] for post in listing["posts"]}
    assert len(slugs) == RACERS
    assert "building-scalable-apis" in slugs


def test_concurrent_creates_with_one_explicit_slug_let_exactly_one_win(
    client: TestClient, owner_headers: Headers, clock: FixedClock
) -> None:
    body = post_fields(slug="mine")
    calls = [("POST", "/v1/blog/posts", {"json": body, "headers": owner_headers})] * RACERS
    assert sorted(_race(calls, client)) == [201] + [409] * (RACERS - 1)


def test_taken_slug_in_an_update_is_409(
    client: TestClient, owner_headers: Headers, make_post: MakeItem
) -> None:
    first = make_post(title="First")
    second = make_post(title="Second")
    response = client.put(
        f"/v1/blog/posts/{second['id']}", json={"slug": first["slug"]}, headers=owner_headers
    )
    assert response.status_code == 409
    assert response.json()["details"] == {"field": "slug"}
