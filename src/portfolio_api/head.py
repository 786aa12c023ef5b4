"""HEAD on every GET route (RFC 9110 9.3.2): the GET's status and headers, without its body.

FastAPI's routes answer only the methods they declare, so a HEAD (uptime monitors, feed
validators, link checkers) would be a 405. This middleware hands the app a GET and drops the
body on the way out; `Content-Length` stays that of the GET, as RFC 9110 allows. A GET that is
not safe (the visitor counter's, which counts a visit) is named in `unsafe_gets`: HEAD stays a
405 there, so that a monitor's probe is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ROUTING_KEYS = ("route", "endpoint", "path_params")
"""What routing records in the scope, for the access log outside."""


class HeadAsGet:
    """Serve HEAD as the GET of the same URL, without the body, except on `unsafe_gets`."""

    def __init__(self, app: ASGIApp, *, unsafe_gets: Iterable[str] = ()) -> None:
        self.app = app
        self.unsafe_gets = frozenset(unsafe_gets)

    def _unsafe(self, scope: Scope) -> bool:
        path: str = scope["path"]
        root: str = scope.get("root_path") or ""
        if root and path.startswith(f"{root}/"):
            path = path[len(root) :]
        return path in self.unsafe_gets

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
