"""HEAD on every GET route (RFC 9110 9.3.2): the GET's status and headers, without its body.

FastAPI's routes answer only the methods they declare, so a HEAD (uptime monitors, feed
validators, link checkers) would be a 405. This middleware hands the app a GET and drops the
body on the way out; `Content-Length` stays that of the GET, as RFC 9110 allows.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ROUTING_KEYS = ("route", "endpoint", "path_params")
"""What routing records in the scope, for the access log outside."""


class HeadAsGet:
    """Serve HEAD as the GET of the same URL, without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
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
