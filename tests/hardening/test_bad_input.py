"""Hostile and malformed requests to every route family: each is a clear 4xx in the contract's
Error format (never a 500), and none of them writes anything."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.content.conftest import post_fields, project_fields
from tests.hardening.conftest import RESUME, Seed
from tests.hardening.faults import Snapshot, assert_error

MIB = 1024 * 1024


@dataclass(frozen=True)
class JsonRoute:
    """A route that takes a JSON body, with a body it accepts."""

    method: str
    path: str
    valid: Callable[[Seed], Any]
    owner: bool = True

    def send(
        self,
        client: TestClient,
        seed: Seed,
        owner_headers: dict[str, str],
        content: bytes | Iterator[bytes],
        content_type: str | None = "application/json",
    ) -> Response:
        headers = dict(owner_headers) if self.owner else {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        path = self.path.format(
            post=seed.post["id"], certification=seed.certification["id"], task=seed.task["id"]
        )
        return client.request(self.method, path, content=content, headers=headers)


JSON_ROUTES = {
    "auth login": JsonRoute(
        "POST",
        "/v1/auth/login",
        lambda _: {"email": "owner@portfolio.example", "password": "Owner-Passw0rd!"},
        owner=False,
    ),
    "blog create": JsonRoute("POST", "/v1/blog/posts", lambda _: post_fields(slug="another")),
    "blog update": JsonRoute("PUT", "/v1/blog/posts/{post}", lambda _: {"title": "Renamed"}),
    "projects create": JsonRoute("POST", "/v1/projects", lambda _: project_fields()),
    "certifications update": JsonRoute(
        "PUT", "/v1/certifications/{certification}", lambda _: {"name": "Renamed"}
    ),
    "analytics track": JsonRoute(
        "POST",
        "/v1/analytics/track",
        lambda seed: {"contentType": "blog", "contentId": seed.post["id"]},
        owner=False,
    ),
    "resume replace": JsonRoute("PUT", "/v1/resume", lambda _: {**RESUME, "work": [{}]}),
    "resume patch": JsonRoute("PATCH", "/v1/resume", lambda _: {"basics": {"label": "CTO"}}),
    "tasks create": JsonRoute("POST", "/v1/tasks", lambda _: {"title": "Another"}),
    "tasks update": JsonRoute("PATCH", "/v1/tasks/{task}", lambda _: {"status": "done"}),
}
ROUTE_IDS = list(JSON_ROUTES)
ROUTES = list(JSON_ROUTES.values())
VISITORS_TRACK = JsonRoute("POST", "/v1/visitors/track", lambda _: None, owner=False)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_each_route_accepts_its_valid_body(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    route: JsonRoute,
) -> None:
    """The control for the tests below: the same routes, well fed, succeed (and the writing
    ones write), so a refusal there is due to the input alone."""
    before = items()
    response = route.send(client, seeded, owner_headers, json.dumps(route.valid(seeded)).encode())
    assert 200 <= response.status_code < 300, response.text
    if route.path != "/v1/auth/login":
        assert items() != before


NOT_JSON = {
    "plain text": b"hello",
    "truncated": b'{"title": "x"',
    "single quotes": b"{'title': 'x'}",
    "trailing comma": b'{"title": "x",}',
    "binary": bytes(range(32)),
}


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_body_that_is_not_json_is_400(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    route: JsonRoute,
) -> None:
    before = items()
    for case, payload in NOT_JSON.items():
        body = assert_error(route.send(client, seeded, owner_headers, payload), 400, case)
        assert body["message"] == "Request validation failed", case
        assert body["details"]["fields"][0]["type"] == "json_invalid", case
    assert items() == before


NOT_AN_OBJECT = {"array": b"[]", "string": b'"x"', "number": b"42", "null": b"null", "empty": b""}


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_json_that_is_not_an_object_is_400(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    route: JsonRoute,
) -> None:
    before = items()
    for case, payload in NOT_AN_OBJECT.items():
        body = assert_error(route.send(client, seeded, owner_headers, payload), 400, case)
        assert body["details"]["fields"][0]["field"].startswith("body"), case
    assert items() == before


def _multipart(document: Any) -> tuple[bytes, str]:
    boundary = "hardening-boundary"
    content = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="body"\r\n'
        "Content-Type: application/json\r\n\r\n"
        f"{json.dumps(document)}\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    return content, f"multipart/form-data; boundary={boundary}"


CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_json_route_refuses_other_content_types_with_400_naming_the_body(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    route: JsonRoute,
) -> None:
    document = route.valid(seeded)
    before = items()
    for content_type in CONTENT_TYPES:
        content = json.dumps(document).encode()
        if content_type == "application/x-www-form-urlencoded":
            content = b"&".join(f"{k}={json.dumps(v)}".encode() for k, v in document.items())
        elif content_type == "multipart/form-data":
            content, content_type = _multipart(document)
        response = route.send(client, seeded, owner_headers, content, content_type=content_type)
        body = assert_error(response, 400, str(content_type))
        assert body["details"]["fields"][0]["field"] == "body", content_type
    assert items() == before


def _chunks(size: int) -> Iterator[bytes]:
    chunk = b"[" * (64 * 1024)  # not even JSON: only the size may decide the answer
    for _ in range(size // len(chunk)):
        yield chunk


@pytest.mark.parametrize("route", [*ROUTES, VISITORS_TRACK], ids=[*ROUTE_IDS, "visitors track"])
def test_an_oversized_body_is_413_before_parsing(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    route: JsonRoute,
) -> None:
    before = items()
    for size in (MIB, 10 * MIB):
        for declared in (True, False):
            case = f"{size // MIB} MiB, {'content-length' if declared else 'chunked'}"
            content: bytes | Iterator[bytes] = b"[" * size if declared else _chunks(size)
            body = assert_error(route.send(client, seeded, owner_headers, content), 413, case)
            assert body["message"] == "Request body exceeds the 512 KiB limit", case
    assert items() == before


def _nested(depth: int, *, opener: str = '{"a":', closer: str = "}") -> bytes:
    return (opener * depth + "1" + closer * depth).encode()


DEEP = {
    "10,000 objects": _nested(10_000),
    "10,000 arrays": _nested(10_000, opener="[", closer="]"),
    "500 objects": _nested(500),
    "500 arrays in a field": b'{"basics": {"x": ' + _nested(500, opener="[", closer="]") + b"}}",
}


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_deeply_nested_json_is_400_not_a_recursion_error(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    route: JsonRoute,
) -> None:
    before = items()
    for case, payload in DEEP.items():
        assert_error(route.send(client, seeded, owner_headers, payload), 400, case)
    assert items() == before


UNSTORABLE = {
    "invalid UTF-8": b'{"title": "\xff\xfe", "name": "\xc3\x28", "basics": {"name": "\xff"}}',
    "lone surrogate": b'{"title": "\\ud800", "name": "\\ud800", "basics": {"name": "\\udfff"}}',
    "NaN": b'{"title": NaN, "name": NaN, "contentId": NaN, "basics": {"x": NaN}}',
    "Infinity": b'{"title": Infinity, "status": -Infinity, "basics": {"x": Infinity}}',
    "1e309": b'{"title": 1e309, "name": 1e309, "basics": {"x": 1e309}}',
}


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_text_and_numbers_that_json_cannot_round_trip_are_400(
    client: TestClient,
    seeded: Seed,
    owner_headers: dict[str, str],
    items: Callable[[], Snapshot],
    route: JsonRoute,
) -> None:
    before = items()
    for case, payload in UNSTORABLE.items():
        assert_error(route.send(client, seeded, owner_headers, payload), 400, case)
    assert items() == before


def test_a_resume_patch_with_unstorable_values_is_refused_before_merging(
    client: TestClient, seeded: Seed, owner_headers: dict[str, str]
) -> None:
    headers = {**owner_headers, "Content-Type": "application/merge-patch+json"}
    for payload, message in [
        (b'{"meta": NaN}', "The resume holds a number that is not finite (NaN, Infinity)"),
        (b'{"meta": "\\ud800"}', "The resume holds text that is not valid Unicode"),
        (b'{"meta": ' + _nested(40) + b"}", "The resume is nested more than 32 levels deep"),
    ]:
        response = client.patch("/v1/resume", content=payload, headers=headers)
        assert assert_error(response, 400)["message"] == message
    assert client.get("/v1/resume", headers=owner_headers).json()["version"] == 1


def test_a_resume_nested_within_the_limit_is_kept_exactly(
    client: TestClient, seeded: Seed, owner_headers: dict[str, str]
) -> None:
    meta = json.loads(_nested(30))
    response = client.put("/v1/resume", json={**RESUME, "meta": meta}, headers=owner_headers)
    assert response.status_code == 200, response.text
    assert client.get("/v1/resume", headers=owner_headers).json()["resume"]["meta"] == meta
