"""The AppError family and the one place that turns any error into the contract's Error body."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from portfolio_api.head import route_path, serves_head


class ErrorBody(BaseModel):
    """The contract's `Error` schema."""

    error: str = Field(description="Short error identifier", examples=["Unauthorized"])
    message: str = Field(description="Human-readable error message")
    statusCode: int = Field(description="HTTP status code")
    details: dict[str, Any] | None = Field(default=None, description="Additional error details")


class AppError(Exception):
    """Base of every error a service may raise; carries its HTTP status and contract fields."""

    status_code: int = 500
    headers: dict[str, str] | None = None

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def error(self) -> str:
        return phrase(self.status_code)


class BadRequest(AppError):
    status_code = 400


class Unauthorized(AppError):
    status_code = 401
    headers = {"WWW-Authenticate": "Bearer"}  # noqa: RUF012 - class-level constant


class Forbidden(AppError):
    status_code = 403


class NotFound(AppError):
    status_code = 404


class Conflict(AppError):
    status_code = 409


class PreconditionFailed(AppError):
    status_code = 412


class PayloadTooLarge(AppError):
    status_code = 413


class ServiceUnavailable(AppError):
    """A dependency (DynamoDB, Cognito, S3) is throttling or down; the client may retry."""

    status_code = 503

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


# Phrases pinned here: Python's HTTPStatus changed some between versions (413 in 3.13).
_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}


def phrase(status_code: int) -> str:
    """The short error identifier of an HTTP status."""
    return _PHRASES.get(status_code) or HTTPStatus(status_code).phrase


_DESCRIPTIONS = {
    401: "Missing or invalid bearer token",
    403: "Authenticated, but not the owner",
    404: "No such resource",
    409: "Changed by another request at the same time; retry",
    412: "`If-Match` does not name the current version",
    413: "The request body is over the size limit",
    503: "A dependency (DynamoDB, Cognito, S3) is busy or unreachable; retry after `Retry-After`",
}


ERROR_SCHEMA_REF = "#/components/schemas/Error"


def error_doc(description: str) -> dict[str, Any]:
    """One OpenAPI `responses=` entry answering the contract's `Error` body.

    It points at the shared `Error` component instead of passing `model=ErrorBody`: FastAPI
    builds a validator for every `model` of every route at import time (0.2-0.35 ms each,
    benchmarks/README.md), and error bodies are never validated on the way out anyway.
    """
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA_REF}}},
    }


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for `codes`, each answering the contract's Error body."""
    return {code: error_doc(_DESCRIPTIONS.get(code) or phrase(code)) for code in codes}


def error_body(
    status_code: int, message: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The contract's `Error` body as a dict."""
    return {
        "error": phrase(status_code),
        "message": message,
        "statusCode": status_code,
        "details": details,
    }


def error_response(
    status_code: int,
    message: str,
    *,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build a response carrying the contract's `Error` body."""
    return JSONResponse(
        error_body(status_code, message, details), status_code=status_code, headers=headers
    )


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return error_response(exc.status_code, exc.message, details=exc.details, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {
            "field": ".".join(str(part) for part in err["loc"]),
            "message": err["msg"],
            "type": err["type"],
        }
        for err in exc.errors()
    ]
    return error_response(400, "Request validation failed", details=field_details(fields))


def field_details(fields: list[dict[str, str]]) -> dict[str, Any]:
    """The `details` of a 400 listing invalid `fields` ({field, message, type} each)."""
    if not fields:
        return {"fields": fields}
    # The contract's shape ({field, issue}, e.g. "title") for the first error, before
    # `fields`, which keeps every error with its location as clients already read it.
    first = fields[0]
    location, _, name = first["field"].partition(".")
    field = name if location in _LOCATIONS and name else first["field"]
    return {"field": field, "issue": first["message"], "fields": fields}


_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
"""Where in the request FastAPI says a value was, the first part of a validation error's `loc`."""


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else phrase(exc.status_code)
    if exc.status_code == 404 and message == "Not Found":
        message = f"No route matches {request.method} {request.url.path}"
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
        allowed = allowed_methods(request)
        if allowed:
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    return error_response(exc.status_code, message, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method served on the request's path, sorted (a 405's `Allow`).

    RFC 9110 asks for all of them; Starlette names only those of the first route whose path
    matches, and FastAPI has one route per method. HEAD is named where `head.serves_head`
    says it is answered end to end.
    """
    path = route_path(request.scope)
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.router.routes):
        regex = getattr(context, "path_regex", None)
        if context.methods and regex is not None and regex.match(path):
            # Starlette's plain routes add HEAD to their GET; it is judged below like any.
            methods |= context.methods - {"HEAD"}
            if "GET" in context.methods and serves_head(request.app, context, path):
                methods.add("HEAD")
    return sorted(methods)


INTERNAL_ERROR_MESSAGE = "An unexpected error occurred; quote the request id when reporting it"
"""The 500's message; `observability.UnexpectedErrorMiddleware` answers unhandled errors."""


def install_error_handlers(app: FastAPI) -> None:
    """Route every handled error through the contract's `Error` body (unhandled ones: see
    `observability.UnexpectedErrorMiddleware`, which answers inside the CORS middlewares)."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
