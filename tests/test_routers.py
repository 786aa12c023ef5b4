"""Domain routers are included on first use: a cold start imports only the router its first
request needs, and nothing a client can observe depends on it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from portfolio_api.config import Settings
from portfolio_api.main import create_app
from portfolio_api.routers import ROUTERS, Routers, include_all

ROOT = Path(__file__).resolve().parent.parent
ROUTER_MODULES = sorted({module for _, module in ROUTERS})


def route_table(app: FastAPI) -> list[tuple[str, tuple[str, ...]]]:
    """(path, methods) of every route of `app`, in matching order."""
    return [
        (str(context.path), tuple(sorted(context.methods or ())))
        for context in iter_route_contexts(app.routes)
    ]


def routers_of(app: FastAPI) -> Routers:
    routers: Routers = app.state.routers
    return routers


def run_python(code: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return result.stdout.strip()


def test_importing_the_app_imports_no_domain_router() -> None:
    code = (
        "import sys, portfolio_api.main; "
        f"print([m for m in {ROUTER_MODULES!r} if m in sys.modules])"
    )
    assert run_python(code) == "[]"


def test_a_cold_lambda_count_request_imports_only_the_visitors_router() -> None:
    code = f"""
import json, sys
from moto import mock_aws
with mock_aws():
    from portfolio_api.main import app, handler
    from portfolio_api import aws
    from portfolio_api.db import schema
    settings = app.state.settings
    schema.create_table(aws.dynamodb_client(settings), settings.dynamodb_table_name)
    class Context:
        aws_request_id = "cold-start-test"
    event = json.loads(open("events/http-api-visitors-count.json").read())
    response = handler(event, Context())
    assert response["statusCode"] == 200, response
    print(json.loads(response["body"]), [m for m in {ROUTER_MODULES!r} if m in sys.modules])
"""
    assert run_python(code).splitlines()[-1] == "{'count': 0} ['portfolio_api.visitors.router']"


def test_a_request_includes_only_the_routers_serving_its_path(client: TestClient) -> None:
    assert client.get("/v1/blog/feed.xml").status_code == 200
    pending = {module for _, module in routers_of(client.app).pending}  # type: ignore[arg-type]
    served = {"portfolio_api.blog.router", "portfolio_api.feeds.router"}
    assert pending == set(ROUTER_MODULES) - served


def test_routers_included_in_any_order_keep_the_order_of_the_table() -> None:
    eager = include_all(create_app(Settings()))
    lazy = create_app(Settings())
    for path in ("/v1/sitemap.xml", "/v1/tasks", "/v1/visitors/count", "/v1/auth/me"):
        routers_of(lazy).include_for(path)
    assert route_table(include_all(lazy)) == route_table(eager)


def test_every_route_of_a_router_is_below_a_prefix_listed_for_it() -> None:
    app = include_all(create_app(Settings()))
    prefixes: dict[str, list[str]] = {}
    for prefix, module in ROUTERS:
        prefixes.setdefault(module, []).append(prefix)
    for context in iter_route_contexts(app.routes):
        module = getattr(context.endpoint, "__module__", "")
        if module in prefixes:
            path = str(context.path)
            assert any(path == p or path.startswith(f"{p}/") for p in prefixes[module]), path


def test_every_domain_router_module_is_listed() -> None:
    package = ROOT / "src" / "portfolio_api"
    modules = {
        "portfolio_api." + ".".join(path.relative_to(package).with_suffix("").parts)
        for path in package.glob("*/router.py")
    }
    assert modules == set(ROUTER_MODULES)


def test_openapi_lists_every_operation_after_a_partial_start(client: TestClient) -> None:
    assert client.get("/v1/visitors/count").status_code == 200
    app: FastAPI = client.app  # type: ignore[assignment]
    committed = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    assert list(app.openapi()["paths"]) == list(committed["paths"])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/nothing-here"),
        ("GET", "/v1/visitors"),
        ("GET", "/v1/visitors/"),
        ("GET", "/v1/blog/posts/"),
        ("DELETE", "/v1/visitors/count"),
        ("PUT", "/v1/sitemap.xml"),
        ("POST", "/v1/blog/posts/some-post"),
        ("GET", "/v1/tasks"),
    ],
)
def test_a_cold_app_answers_like_an_app_with_every_router(
    method: str, path: str, aws_mock: None
) -> None:
    def answer(app: FastAPI) -> tuple[int, Any, dict[str, str]]:
        response = TestClient(app, follow_redirects=False).request(method, path)
        headers = {k: v for k, v in response.headers.items() if k != "x-request-id"}
        return response.status_code, response.content, headers

    assert answer(create_app(Settings())) == answer(include_all(create_app(Settings())))


def test_concurrent_first_requests_include_a_router_once() -> None:
    app = create_app(Settings())
    routers = routers_of(app)
    start = threading.Barrier(8)

    def first_request() -> None:
        start.wait()
        routers.include_for("/v1/blog/posts")

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    blog_routes = [route for route in route_table(app) if route[0].startswith("/v1/blog/")]
    assert len(blog_routes) == len(set(blog_routes)) > 0
