"""The app's CORS policy (`CORS_ORIGINS`), answering refused preflights in the Error format."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from portfolio_api.errors import error_response

_ENTITY_HEADERS = frozenset({"content-type", "content-length"})

EXPOSED_HEADERS = ("ETag", "Location", "Retry-After", "X-Request-Id")
"""Response headers a page on an allowed origin may read besides the safelisted ones: the
version to send back in `If-Match`, where a 201 put the new item, when to retry, and the id to
quote in a report."""


def refused_preflight(reason: str, headers: dict[str, str] | None = None) -> Response:
    """A 400 for a CORS preflight the policy refuses (`reason`, e.g. "Disallowed CORS origin"),
    with the contract's Error body instead of a plain-text one."""
    return error_response(400, f"CORS preflight refused: {reason}", headers=headers)


class AppCorsMiddleware(CORSMiddleware):
    """Starlette's CORS middleware, whose refused preflights carry the Error body."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """Starlette's answer; a refusal (400, plain text) becomes the contract's Error body."""
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        headers = {k: v for k, v in response.headers.items() if k not in _ENTITY_HEADERS}
        return refused_preflight(bytes(response.body).decode(), headers)
