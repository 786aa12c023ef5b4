"""Each `def` dependency costs a request a thread-pool round trip (0.07-0.6 ms; benchmarks/
README.md), on Lambda too: `BlockingRoute` runs only the endpoints inline there. So the
dependencies of the hot public routes are `async def`, and the blocking work is the
endpoint's (see portfolio_api.blocking and tests/test_blocking.py)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from portfolio_api.config import Settings
from portfolio_api.main import create_app
from portfolio_api.routers import include_all

HOT_ROUTES = [
    ("GET", "/v1/visitors/count"),
    ("GET", "/v1/visitors/badge.svg"),
    ("POST", "/v1/visitors/track"),
    ("POST", "/v1/visitors/hit"),
    ("GET", "/v1/visitors/hit"),
    ("POST", "/v1/analytics/track"),
    ("GET", "/v1/blog/posts/{postId}"),
    ("GET", "/v1/projects/{projectId}"),
    ("GET", "/v1/certifications/{certificationId}"),
    ("GET", "/v1/blog/posts"),
    ("GET", "/v1/projects"),
    ("GET", "/v1/certifications"),
]


def is_async(call: Callable[..., Any]) -> bool:
    """Whether FastAPI awaits `call` on the event loop (a coroutine function or an object whose
    `__call__` is one, like the security schemes)."""
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__)


def sub_dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from sub_dependencies(dependency)


def dependants() -> dict[tuple[str, str], Dependant]:
    app = include_all(create_app(Settings()))
    found: dict[tuple[str, str], Dependant] = {}
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            for method in context.methods or ():
                found[(method, str(context.path))] = context.dependant
    return found


@pytest.mark.parametrize(("method", "path"), HOT_ROUTES)
def test_hot_route_dependencies_run_on_the_event_loop(method: str, path: str) -> None:
    dependant = dependants()[(method, path)]
    blocking = [
        getattr(d.call, "__qualname__", repr(d.call))
        for d in sub_dependencies(dependant)
        if d.call is not None and not is_async(d.call)
    ]
    assert blocking == []
