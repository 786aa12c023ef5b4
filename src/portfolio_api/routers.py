"""The domain routers, by the path prefix they serve, each included on first use.

Importing a router imports its schemas and builds its routes: 10-25 ms each, ~150 ms for all
of them (benchmarks/README.md), while a Lambda container often serves one or two families of
paths. So `create_app()` includes none of them: the first request under a prefix imports and
includes the router(s) serving it, in the order of `ROUTERS`, so the route table always reads
as if they had all been included up front. `app.openapi()` and `include_all(app)` include
every router; request handling, 404 and 405 answers are the same either way.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence

from fastapi import FastAPI
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

ROUTERS: tuple[tuple[str, str], ...] = (
    ("/v1/auth", "portfolio_api.auth.router"),
    ("/v1/visitors", "portfolio_api.visitors.router"),
    ("/v1/analytics", "portfolio_api.analytics.router"),
    ("/v1/resume", "portfolio_api.resume.router"),
    ("/v1/tasks", "portfolio_api.tasks.router"),
    ("/v1/blog", "portfolio_api.blog.router"),
    ("/v1/projects", "portfolio_api.projects.router"),
    ("/v1/certifications", "portfolio_api.certifications.router"),
    ("/v1/blog/feed.xml", "portfolio_api.feeds.router"),
    ("/v1/sitemap.xml", "portfolio_api.feeds.router"),
)
"""(path prefix, module with a `router`) pairs; a module serving several prefixes is listed
once per prefix. A request path equal to a prefix or below it (`prefix/...`) needs the module."""


class Routers:
    """Includes the routers of `ROUTERS` in an app when a request first needs them.

    Each goes right before the routes of the next router of the table already included, or
    before `anchor` (the route that followed the routers when they were included up front).
    """

    def __init__(
        self, app: FastAPI, *, anchor: BaseRoute, table: Sequence[tuple[str, str]] = ROUTERS
    ) -> None:
        self.app = app
        self.anchor = anchor
        self.order = list(dict.fromkeys(module for _, module in table))
        self.pending = tuple(table)
        self._included: dict[str, list[BaseRoute]] = {}
        self._lock = threading.Lock()

    def include_for(self, path: str) -> None:
        """Include every router that serves `path` and is not included yet."""
        wanted = [
            m for prefix, m in self.pending if path == prefix or path.startswith(prefix + "/")
        ]
        if wanted:
            self._include(wanted)

    def include_all(self) -> None:
        """Include every router (the OpenAPI document, route listings, SnapStart warm-up)."""
        if self.pending:
            self._include(self.order)

    def _include(self, modules: list[str]) -> None:
        with self._lock:  # concurrent first requests (several threads or event loops)
            for module in modules:
                if module not in self._included:
                    self._include_one(module)
            self.pending = tuple((p, m) for p, m in self.pending if m not in self._included)

    def _include_one(self, module: str) -> None:
        router = importlib.import_module(module).router
        routes = self.app.router.routes
        before = len(routes)
        self.app.include_router(router)
        added = routes[before:]
        del routes[before:]
        later = [m for m in self.order[self.order.index(module) + 1 :] if self._included.get(m)]
        position = _index(routes, self._included[later[0]][0] if later else self.anchor)
        routes[position:position] = added
        self._included[module] = added


def _index(routes: list[BaseRoute], route: BaseRoute) -> int:
    """Position of `route`, by identity (routes compare by value); the end if it is gone."""
    return next((i for i, candidate in enumerate(routes) if candidate is route), len(routes))


class IncludeRoutersOnFirstUse:
    """Before routing, include the routers that the request's path needs (see `Routers`)."""

    def __init__(self, app: ASGIApp, *, routers: Routers) -> None:
        self.app = app
        self.routers = routers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.routers.pending and scope["type"] == "http":
            self.routers.include_for(_route_path(scope))
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path the router matches: without the `root_path` a server may have prefixed."""
    path: str = scope["path"]
    root: str = scope.get("root_path") or ""
    return path[len(root) :] if root and path.startswith(f"{root}/") else path


def include_all(app: FastAPI) -> FastAPI:
    """Include every router in an app made by `create_app`; the app, for chaining."""
    routers: Routers = app.state.routers
    routers.include_all()
    return app
