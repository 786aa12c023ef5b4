"""Blocking code runs inline on Lambda (one request at a time) and in the thread pool under a
server: the same `def` routes, through the real wiring, in both hosts."""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import anyio.to_thread
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from mangum import Mangum
from starlette.types import Receive, Scope, Send

from portfolio_api import main
from portfolio_api.blocking import OneRequestAtATime, run_blocking
from portfolio_api.config import Settings
from portfolio_api.db import keys
from portfolio_api.db.table import Table
from portfolio_api.main import create_app
from portfolio_api.routers import include_all
from tests.conftest import OWNER_EMAIL, OWNER_PASSWORD
from tests.test_lambda_handler import FakeLambdaContext, lambda_handler, load_event

T = TypeVar("T")


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The functions sent to anyio's worker threads (Starlette's and FastAPI's only route there)."""
    hops: list[str] = []
    real = anyio.to_thread.run_sync

    async def spy(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        target = getattr(func, "func", func)  # Starlette sends a functools.partial
        hops.append(getattr(target, "__qualname__", type(target).__qualname__))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", spy)
    return hops


def http_api_event(method: str, path: str, headers: dict[str, str] | None = None) -> Any:
    """The recorded HTTP API count event, re-aimed at another route."""
    event = copy.deepcopy(load_event("http-api-visitors-count.json"))
    event["rawPath"] = path
    event["routeKey"] = f"{method} {path}"
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["path"] = path
    event["headers"].update(headers or {})
    return event


def invoke(handler: Mangum, event: Any) -> tuple[int, Any]:
    response = handler(event, FakeLambdaContext())
    return response["statusCode"], json.loads(response["body"])


def test_module_handler_serves_one_request_at_a_time() -> None:
    assert any(m.cls is OneRequestAtATime for m in main.app.user_middleware)


def test_a_server_app_is_not_marked_one_request_at_a_time(settings: Settings) -> None:
    assert not any(m.cls is OneRequestAtATime for m in create_app(settings).user_middleware)


def test_lambda_count_request_makes_no_thread_hop(
    table: Table, settings: Settings, thread_hops: list[str]
) -> None:
    table.put({**keys.visitor_total(), "count": 7})
    assert invoke(lambda_handler(settings), load_event("http-api-visitors-count.json")) == (
        200,
        {"count": 7},
    )
    assert thread_hops == []


def test_lambda_track_request_makes_no_thread_hop(
    table: Table, settings: Settings, thread_hops: list[str]
) -> None:
    status, body = invoke(lambda_handler(settings), load_event("rest-api-visitors-track.json"))
    assert (status, body) == (200, {"count": 1, "tracked": True})
    assert thread_hops == []


def test_lambda_public_list_makes_no_thread_hop(
    table: Table, settings: Settings, thread_hops: list[str]
) -> None:
    status, body = invoke(lambda_handler(settings), http_api_event("GET", "/v1/blog/posts"))
    assert status == 200
    assert body["posts"] == []
    assert thread_hops == []


def test_lambda_owner_request_verifies_the_token_without_a_thread_hop(
    table: Table, settings: Settings, owner_headers: dict[str, str], thread_hops: list[str]
) -> None:
    headers = {name.lower(): value for name, value in owner_headers.items()}
    status, body = invoke(lambda_handler(settings), http_api_event("GET", "/v1/tasks", headers))
    assert status == 200
    assert body["tasks"] == []
    assert thread_hops == []


def test_lambda_login_makes_no_thread_hop(
    table: Table, settings: Settings, cognito_pool: Any, thread_hops: list[str]
) -> None:
    event = http_api_event("POST", "/v1/auth/login", {"content-type": "application/json"})
    event["body"] = json.dumps({"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    status, body = invoke(lambda_handler(settings), event)
    assert status == 200, body
    assert body["user"]["email"] == OWNER_EMAIL
    assert thread_hops == []


def test_server_app_runs_a_def_route_in_the_thread_pool_once(
    table: Table, settings: Settings, thread_hops: list[str]
) -> None:
    table.put({**keys.visitor_total(), "count": 3})
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/visitors/count")
    assert response.json() == {"count": 3}
    # The route only; FastAPI validates its response on the loop (it awaits the route).
    assert thread_hops == ["get_visitor_count"]


def test_server_app_verifies_owner_tokens_in_the_thread_pool(
    table: Table, settings: Settings, owner_headers: dict[str, str], thread_hops: list[str]
) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/tasks", headers=owner_headers)
    assert response.status_code == 200
    assert thread_hops == ["_claims_of_a_live_session", "list_tasks"]  # verify + sign-out check


def test_every_route_is_awaited_so_no_response_is_validated_in_a_thread() -> None:
    app = include_all(create_app(Settings()))
    routes = [c.original_route for c in iter_route_contexts(app.routes)]
    sync = [
        route.path
        for route in routes
        if isinstance(route, APIRoute) and not inspect.iscoroutinefunction(route.endpoint)
    ]
    assert [r for r in routes if isinstance(r, APIRoute)] != []
    assert sync == []


def caller_thread() -> int:
    return threading.get_ident()


async def thread_of_blocking_call() -> int:
    return await run_blocking(caller_thread)


def run_on_a_new_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """`coroutine`'s result, on a loop of its own. Not `asyncio.run`: it leaves the main thread
    without a current loop, and Mangum (`asyncio.get_event_loop()`) then fails in every later
    test of the same process."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


def test_run_blocking_uses_a_worker_thread_by_default() -> None:
    assert run_on_a_new_loop(thread_of_blocking_call()) != threading.get_ident()


def test_run_blocking_runs_inline_during_a_request_marked_one_at_a_time() -> None:
    seen: list[int] = []

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(await thread_of_blocking_call())

    async def serve_one_then_call_again() -> int:
        await OneRequestAtATime(endpoint)({"type": "http"}, _never, _never)
        return await thread_of_blocking_call()

    after = run_on_a_new_loop(serve_one_then_call_again())
    assert seen == [threading.get_ident()]
    assert after != threading.get_ident()  # the mark ends with the request


async def _never(*_: Any) -> Any:
    raise AssertionError("not used")
