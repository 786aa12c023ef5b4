"""HEAD on every GET route (RFC 9110 9.3.2): the GET's status and headers, without its body.

FastAPI's routes answer only the methods they declare, so a HEAD (uptime monitors, feed
validators, link checkers) would be a 405. This middleware hands the app a GET and drops the
body on the way out; `Content-Length` stays that of the GET, as RFC 9110 allows. A GET that is
not safe (the visitor counter's, which counts a visit) is named in `unsafe_gets`: HEAD stays a
405 there, so that a monitor's probe is not counted.

End to end, HEAD reaches the app only on the public GETs: template.yaml routes no HEAD to an
owner-only GET (API Gateway answers 404 there), as tests/test_route_parity.py checks.
`serves_head` says where HEAD is served, for a 405's `Allow`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.routing import RouteContext
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ROUTING_KEYS = ("route", "endpoint", "path_params")
"""What routing records in the scope, for the access log outside."""


class HeadAsGet:
    """Serve HEAD as the GET of the same URL, without the body, except on `unsafe_gets`."""

    def __init__(self, app: ASGIApp, *, unsafe_gets: Iterable[str] = ()) -> None:
        self.app = app
        self.unsafe_gets = frozenset(unsafe_gets)

    def _unsafe(self, scope: Scope) -> bool:
        return route_path(scope) in self.unsafe_gets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or self._unsafe(scope):
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server's and the app's access logs report the method as sent.
        as_get = {**scope, "method": "GET"}
        try:
            await self.app(as_get, receive, send_without_body)
        finally:
            scope.update((key, as_get[key]) for key in _ROUTING_KEYS if key in as_get)


def route_path(scope: Scope) -> str:
    """The path routes match: without the `root_path` a server may have prefixed."""
    path: str = scope["path"]
    root: str = scope.get("root_path") or ""
    return path[len(root) :] if root and path.startswith(f"{root}/") else path


def serves_head(app: Any, get_route: RouteContext, path: str) -> bool:
    """Whether a HEAD of `path`, whose GET is `get_route`, is answered as that GET end to end:
    the app has `HeadAsGet`, the GET is not one of its unsafe ones, and it is not owner-only
    (the gateway has no HEAD route there)."""
    # Imported here: auth imports errors, which imports this module.
    from portfolio_api.auth.dependencies import owner_session

    head = next((m for m in app.user_middleware if m.cls is HeadAsGet), None)
    if head is None or path in head.kwargs.get("unsafe_gets", ()):
        return False
    pending: list[Any] = [getattr(get_route, "dependant", None)]
    while pending:
        dependant = pending.pop()
        if dependant is not None:
            if dependant.call is owner_session:
                return False
            pending.extend(dependant.dependencies)
    return True
