"""The FastAPI application and the Lambda entry point."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from mangum import Mangum
from pydantic import BaseModel

from portfolio_api.config import Settings, get_settings
from portfolio_api.errors import ErrorBody, install_error_handlers
from portfolio_api.observability import RequestContextMiddleware, configure_logging
from portfolio_api.visitors.router import router as visitors_router

try:
    __version__ = version("portfolio-api")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"


class Health(BaseModel):
    """Liveness answer; it touches no dependency so it stays cheap."""

    status: str
    version: str
    environment: str


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for `settings` (the environment's, by default)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Portfolio API",
        version=__version__,
        description="Serverless backend of a personal portfolio site.",
        root_path=settings.api_base_path,
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url="/redoc" if settings.docs_enabled else None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
        responses={
            400: {"model": ErrorBody, "description": "Invalid request"},
            500: {"model": ErrorBody, "description": "Unexpected error"},
        },
    )
    app.state.settings = settings
    install_error_handlers(app)

    # Each router carries its full `/v1/...` prefix, so routes are greppable and the access
    # log can name the route template.
    app.include_router(visitors_router)

    @app.get("/health", tags=["Health"], operation_id="getHealth", summary="Liveness check")
    async def health() -> Health:
        return Health(status="ok", version=__version__, environment=settings.environment)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
        expose_headers=["ETag", "Retry-After", "X-Request-Id"],
        max_age=600,
    )
    app.add_middleware(RequestContextMiddleware)
    return app


app = create_app()
handler = Mangum(app, lifespan="off", api_gateway_base_path=app.state.settings.api_base_path)
