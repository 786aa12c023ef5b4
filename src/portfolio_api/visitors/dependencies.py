"""How the counters see a request: the caller (IP, User-Agent) and the container's salts."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import Depends, Request

from portfolio_api.config import Settings
from portfolio_api.deps import SettingsDep
from portfolio_api.visitors.identity import Caller, DailySalts

_salts_lock = threading.Lock()


def _event_source_ip(event: Any) -> str | None:
    """`sourceIp` of an API Gateway event: HTTP API (v2) or REST API (v1)."""
    if not isinstance(event, dict):
        return None
    context = event.get("requestContext") or {}
    for holder in (context.get("http"), context.get("identity")):
        if isinstance(holder, dict) and isinstance(holder.get("sourceIp"), str):
            source_ip: str = holder["sourceIp"]
            return source_ip
    return None


def client_ip(request: Request, settings: Settings) -> str:
    """The client's address: API Gateway's request context in Lambda, the socket locally.

    `X-Forwarded-For` is read only with `TRUSTED_PROXY_HOPS` = N > 0, and then only its N-th
    address from the right, the one our own outermost proxy appended; addresses further left
    were supplied by the client and prove nothing.
    """
    address = _event_source_ip(request.scope.get("aws.event"))
    if address is None and request.client is not None:
        address = request.client.host
    hops = settings.trusted_proxy_hops
    if hops:
        forwarded = [
            part.strip()
            for header in request.headers.getlist("x-forwarded-for")
            for part in header.split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address or "unknown"


# The dependencies are `async def`: no I/O, so no thread-pool round trip (see deps.py).


async def get_caller(request: Request, settings: SettingsDep) -> Caller:
    """The caller as the counters see it."""
    return Caller(ip=client_ip(request, settings), user_agent=request.headers.get("user-agent", ""))


CallerDep = Annotated[Caller, Depends(get_caller)]


async def get_salts(request: Request) -> DailySalts:
    """The container's daily salts, kept on the app for the life of the container."""
    with _salts_lock:
        salts: DailySalts | None = getattr(request.app.state, "visitor_salts", None)
        if salts is None:
            salts = DailySalts()
            request.app.state.visitor_salts = salts
    return salts


SaltsDep = Annotated[DailySalts, Depends(get_salts)]
