"""The FastAPI application and the Lambda entry point."""

from __future__ import annotations

import gc
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from mangum import Mangum
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

from portfolio_api.blocking import OneRequestAtATime
from portfolio_api.config import Settings, get_settings
from portfolio_api.cors import EXPOSED_HEADERS, AppCorsMiddleware
from portfolio_api.docs import install_docs, install_openapi
from portfolio_api.errors import error_doc, error_responses, install_error_handlers
from portfolio_api.head import HeadAsGet
from portfolio_api.limits import BodyLimitMiddleware
from portfolio_api.observability import (
    RequestContextMiddleware,
    UnexpectedErrorMiddleware,
    configure_logging,
)
from portfolio_api.routers import IncludeRoutersOnFirstUse, Routers
from portfolio_api.snapstart import register as register_snapstart_warm_up
from portfolio_api.visitors.cors import (
    COUNTER_HIT_PATH,
    PUBLIC_COUNTER_PATHS,
    PublicCounterCors,
)

OPENAPI_URL = "/openapi.json"

try:
    __version__ = version("portfolio-api")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"


class Health(BaseModel):
    """Liveness answer; it touches no dependency so it stays cheap."""

    status: str
    version: str
    environment: str


class BasePathMiddleware:
    """Tell the app it is mounted under the API Gateway stage/base path (e.g. `/prod`), so
    generated URLs (docs, OpenAPI `servers`, the feed's own link) carry it.

    Mangum strips the prefix from the event's path. ASGI wants it back in front: `path`
    includes `root_path`, and Starlette routes on what follows it. A `path` without the prefix
    would have it stripped a second time whenever the stage is named like the first segment
    of a route (a stage `v1` turned `/v1/visitors/count` into `/visitors/count`).
    """

    def __init__(self, app: ASGIApp, *, base_path: str) -> None:
        self.app = app
        self.base_path = base_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            scope["root_path"] = self.base_path
            scope["path"] = self.base_path + scope["path"]
            if scope.get("raw_path"):
                scope["raw_path"] = self.base_path.encode() + scope["raw_path"]
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, *, one_request_at_a_time: bool = False) -> FastAPI:
    """Build the application for `settings` (the environment's, by default).

    `one_request_at_a_time`: the host never overlaps requests (Lambda), so blocking code runs
    on the event loop instead of in the thread pool (see `portfolio_api.blocking`).
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Portfolio API",
        version=__version__,
        description="Serverless backend of a personal portfolio site.",
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL if settings.docs_enabled else None,
        # Every route: request validation, the body size limit (BodyLimitMiddleware), bugs.
        responses={
            400: error_doc("Invalid request"),
            **error_responses(413),
            500: error_doc("Unexpected error"),
        },
    )
    app.state.settings = settings
    install_error_handlers(app)
    if settings.docs_enabled:
        install_docs(app, openapi_url=OPENAPI_URL)

    @app.get("/health", tags=["Health"], operation_id="getHealth", summary="Liveness check")
    async def health() -> Health:
        return Health(status="ok", version=__version__, environment=settings.environment)

    health_route = app.router.routes[-1]

    # The domain routers (each with its full `/v1/...` prefix, so routes are greppable and the
    # access log can name the route template) are included on first use, before /health.
    routers = Routers(app, anchor=health_route)
    app.state.routers = routers
    app.add_middleware(IncludeRoutersOnFirstUse, routers=routers)
    install_openapi(app, include_routes=routers.include_all)

    # Not on the counter, whose GET counts a visit: a monitor's HEAD must not.
    app.add_middleware(HeadAsGet, unsafe_gets=[COUNTER_HIT_PATH])
    # Inside the CORS middlewares, so that a browser can read a 413 or a 500 (and its request
    # id) instead of seeing a CORS failure.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(
        AppCorsMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
    # The public visitor counter has its own CORS policy (see visitors.cors); outside the
    # app's, so that owner routes stay limited to CORS_ORIGINS.
    app.add_middleware(
        PublicCounterCors, paths=PUBLIC_COUNTER_PATHS, origins=settings.counter_cors_origins
    )
    if settings.api_base_path:
        app.add_middleware(BasePathMiddleware, base_path=settings.api_base_path)
    app.add_middleware(RequestContextMiddleware)
    if one_request_at_a_time:
        app.add_middleware(OneRequestAtATime)
    return app


def create_handler(app: FastAPI) -> Mangum:
    """The Lambda handler of `app`: Mangum, stripping the stage or base path of its settings."""
    return Mangum(app, lifespan="off", api_gateway_base_path=app.state.settings.api_base_path)


app = create_app(one_request_at_a_time=True)  # Mangum hands it one event at a time
handler = create_handler(app)
register_snapstart_warm_up(handler, app.state.settings)
# What the import built (FastAPI, pydantic, the app) lives as long as the container: freeze it
# so that the collector's full collections no longer walk it. Otherwise the first one lands in
# the first request and walks all ~50k of those objects (~15 ms, benchmarks/README.md).
gc.freeze()
