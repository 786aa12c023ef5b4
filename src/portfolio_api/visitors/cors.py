"""CORS for the public visitor counter, which resume sites on any origin embed.

The app's CORS middleware allows only `CORS_ORIGINS` and must stay that strict for the owner
routes. The counter's own paths get their own policy (`COUNTER_CORS_ORIGINS`, `*` by default):
they return nothing but a public number, accept no credentials and read no cookies, so letting
any page read the answer exposes nothing. This middleware sits outside the app's CORS
middleware and owns these paths: it answers their preflights itself, and for their requests it
hides the `Origin` header from the inner middleware (which would refuse or add its own headers)
and adds its own. Every other path passes through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portfolio_api.cors import refused_preflight

COUNTER_HIT_PATH = "/v1/visitors/hit"
"""The counter: its GET counts a visit like its POST, so HEAD is not served as a GET there."""
PUBLIC_COUNTER_PATHS = (COUNTER_HIT_PATH, "/v1/visitors/badge.svg")
"""The paths that browsers on any resume site may call (routes of `visitors.router`)."""

ALLOWED_METHODS = ("GET", "POST", "OPTIONS")
"""The methods a preflight may ask for: what resume pages send (fetch GET or POST; an `<img>`
badge needs no CORS). The badge answers HEAD too, but no counter page asks for it across
origins."""
MAX_AGE_SECONDS = 86_400
_HEADER_NAMES = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$")


class PublicCounterCors:
    """A CORS policy of its own for `paths`: `origins` (or `*`), never credentials."""

    def __init__(self, app: ASGIApp, *, paths: Iterable[str], origins: Iterable[str]) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.origins = frozenset(origins)
        self.any_origin = "*" in self.origins

    def _owns(self, scope: Scope) -> bool:
        path: str = scope["path"]
        root: str = scope.get("root_path") or ""
        if root and path.startswith(f"{root}/"):
            path = path[len(root) :]
        return path in self.paths

    def _allow_origin(self, origin: str) -> dict[str, str]:
        if self.any_origin:
            return {"Access-Control-Allow-Origin": "*"}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._owns(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        allowed = self.any_origin or origin in self.origins
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(headers, origin, allowed)(scope, receive, send)
            return
        # In place, not on a copy: the route the router records in the scope must reach the
        # access log of the middleware outside this one.
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"origin"]
        if not allowed:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in self._allow_origin(origin).items():
                    if name == "Vary":
                        response_headers.add_vary_header(value)
                    else:
                        response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _preflight(self, headers: Headers, origin: str, allowed: bool) -> Response:
        method = headers["access-control-request-method"].upper()
        requested = headers.get("access-control-request-headers", "").strip()
        if not allowed:
            return refused_preflight("Disallowed CORS origin")
        if method not in ALLOWED_METHODS:
            return refused_preflight("Disallowed CORS method")
        if requested and not _HEADER_NAMES.match(requested):
            return refused_preflight("Disallowed CORS headers")
        response_headers = {
            **self._allow_origin(origin),
            "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
            "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
        }
        if requested:
            # Reflected: the counter reads no header, and many resume pages send odd ones.
            response_headers["Access-Control-Allow-Headers"] = requested
        return Response(status_code=204, headers=response_headers)
