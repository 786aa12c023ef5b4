"""Logout that takes effect at once.

Cognito's GlobalSignOut revokes refresh tokens, but the ID and access tokens already issued
keep a valid signature until they expire (30 minutes by default), and the API Gateway
authorizer accepts them. So each logout records its moment per user, and every request that
presents a token is refused when that token was issued before the user's last logout.

`iat` counts whole seconds, so a token issued in the same second as the logout cannot be told
from one issued just before it; both are refused (`iat <= logout`). A login in the rest of that
second gets a token the API refuses; logging in again a moment later works.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from portfolio_api.auth.tokens import TokenClaims
from portfolio_api.db import keys
from portfolio_api.db.table import ConditionFailed, Expression, Table
from portfolio_api.errors import Unauthorized

SIGNED_OUT = "This session was signed out; log in again"
AT_MS = "atMs"


def record_sign_out(*, table: Table, sub: str, at: datetime) -> None:
    """Remember that `sub` logged out at `at`; an earlier moment never replaces a later one."""
    at_ms = int(at.timestamp() * 1000)
    with contextlib.suppress(ConditionFailed):  # a later logout is already recorded
        table.put(
            {**keys.user_sign_out(sub), AT_MS: at_ms},
            condition="attribute_not_exists(PK) OR #at < :at",
            expr=Expression(names={"#at": AT_MS}, values={":at": at_ms}),
        )


def ensure_not_signed_out(*, table: Table, claims: TokenClaims) -> None:
    """401 when the token was issued before its user's last logout (strongly consistent read:
    a logout counts from the next request on, in every container)."""
    item = table.get(keys.user_sign_out(claims.sub), consistent=True)
    if item is not None and claims.issued_at * 1000 <= int(item[AT_MS]):
        raise Unauthorized(SIGNED_OUT)
