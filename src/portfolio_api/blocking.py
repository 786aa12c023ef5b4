"""Where blocking code (boto3 calls, a JWKS download) runs: in the thread pool, or on the event
loop when the host hands the app one request at a time.

Under uvicorn, many requests share one event loop, so FastAPI runs a `def` route in anyio's
thread pool while the loop serves the others. On Lambda, Mangum hands the app one event at a
time per process (also on Lambda Managed Instances, whose Python runtime runs concurrent
requests in separate processes, each synchronously): nothing else waits on the loop, and the
hop to a worker thread and back buys nothing. It is the largest part of a warm GET's overhead
(~0.6 ms of ~0.7 ms on the benchmark machine, benchmarks/README.md), and FastAPI makes a
second one for a `def` route to validate its response model.

So routes stay plain `def` functions (boto3 is blocking; a reader sees that it is), their
routers use `BlockingRoute`, and the app built for Lambda (`create_app(...,
one_request_at_a_time=True)`) wraps itself in `OneRequestAtATime`: the same code then runs
inline on Lambda and in the thread pool everywhere else.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

P = ParamSpec("P")
R = TypeVar("R")

_inline: ContextVar[bool] = ContextVar("portfolio_api.blocking.inline", default=False)


async def run_blocking(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Call blocking `func`: inline for a one-request-at-a-time host, else in the thread pool."""
    if _inline.get():
        return func(*args, **kwargs)
    return await run_in_threadpool(func, *args, **kwargs)


def awaitable(func: Callable[P, R]) -> Callable[P, Coroutine[Any, Any, R]]:
    """`func` as a coroutine function that calls it through `run_blocking`.

    `functools.wraps` keeps the name, docstring and `__wrapped__`, through which FastAPI reads
    the parameters, so dependencies, OpenAPI and operation ids are those of `func`.
    """

    @functools.wraps(func)
    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return await run_blocking(func, *args, **kwargs)

    return call


class BlockingRoute(APIRoute):
    """The route class of routers whose endpoints are `def`: FastAPI awaits them (so it also
    validates their responses on the loop) and each runs through `run_blocking`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = awaitable(endpoint)
        super().__init__(path, endpoint, **kwargs)


class OneRequestAtATime:
    """Marks every request through it as served alone, so blocking calls run inline.

    Only for a host that never overlaps requests in one process (Mangum on Lambda): blocking
    the loop there delays nobody. Under a server with concurrent requests it would serialise
    them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _inline.set(True)
        try:
            await self.app(scope, receive, send)
        finally:
            _inline.reset(token)
