"""Swagger UI and ReDoc served with their assets from the installed package (no CDN), so the
docs work offline and behind an API Gateway stage or custom-domain base path."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from portfolio_api.blocking import awaitable
from portfolio_api.errors import ERROR_SCHEMA_REF, ErrorBody, NotFound

ASSETS_URL = "/docs/assets"
_MEDIA_TYPES = {
    "swagger-ui-bundle.js": "application/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "application/javascript",
    "favicon.png": "image/png",
}


@lru_cache(maxsize=len(_MEDIA_TYPES))
def _asset(name: str) -> bytes:
    # fastapi-offline ships current Swagger UI and ReDoc bundles; we only read its files.
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        raise NotFound("Documentation assets are not installed")
    return (Path(spec.submodule_search_locations[0]) / "static" / name).read_bytes()


PAGE_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
"""The docs pages can call owner routes with the owner's token: no other site may frame them
(clickjacking "Try it out"), and their URLs are not sent on as referrers."""


def _page(response: HTMLResponse) -> HTMLResponse:
    response.headers.update(PAGE_HEADERS)
    return response


def install_docs(app: FastAPI, *, openapi_url: str) -> None:
    """Add `/docs`, `/redoc` and their assets to `app`."""

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_swagger_ui_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
                swagger_ui_parameters={
                    "persistAuthorization": True,
                    "displayRequestDuration": True,
                },
            )
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_redoc_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
                with_google_fonts=False,
            )
        )

    @app.get(ASSETS_URL + "/{name}", include_in_schema=False)
    @awaitable  # reads a file, the first time (see portfolio_api.blocking)
    def docs_asset(name: str) -> Response:
        media_type = _MEDIA_TYPES.get(name)
        if media_type is None:
            raise NotFound(f"No documentation asset named {name!r}")
        return Response(
            _asset(name),
            media_type=media_type,
            headers={"Cache-Control": "public, max-age=86400"},
        )


def install_openapi(app: FastAPI, *, include_routes: Callable[[], None]) -> None:
    """Shape the generated OpenAPI document as clients read it: the contract's `Error`
    component that every error response points at, and no 422 (this API answers request
    validation errors with 400, documented on every operation). `include_routes` runs first,
    so that routers included on first use are all in the document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        include_routes()
        document = generate()
        schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
        if "Error" not in schemas:
            for operations in document.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            schemas["Error"] = ErrorBody.model_json_schema(ref_template=ERROR_SCHEMA_REF)
            schemas["Error"]["title"] = "Error"
        paths = document.get("paths", {})
        for path, method in _optional_token_operations(app):
            # `{}`: no token is fine too (FastAPI marks every bearer dependency required).
            paths[path][method]["security"] = [{}, {"bearerAuth": []}]
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _optional_token_operations(app: FastAPI) -> list[tuple[str, str]]:
    """(path, method) of the public operations that show the owner more (`OptionalOwner`)."""
    from fastapi.routing import APIRoute, iter_route_contexts

    from portfolio_api.auth.dependencies import optional_owner, owner_session

    found: list[tuple[str, str]] = []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute) or not context.include_in_schema:
            continue
        calls: set[object] = set()
        pending = [context.dependant]
        while pending:
            dependant = pending.pop()
            calls.add(dependant.call)
            pending.extend(dependant.dependencies)
        if optional_owner in calls and owner_session not in calls:
            path = str(context.path_format)
            found += [(path, method.lower()) for method in sorted(context.methods or ())]
    return found
