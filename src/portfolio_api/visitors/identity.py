"""Who is visiting, without knowing who: a keyed hash of IP and User-Agent that lives one day.

The scheme is Plausible's: `HMAC-SHA256(salt of the day, IP + User-Agent)`. The salt is a
random secret created once per UTC day (race-free, in the table), cached in memory for the day
and deleted the day after (by the container that creates the next salt but one, or else by TTL);
once it is gone nobody, us included, can recompute a hash or link one day's visitor to
another's. The raw IP exists only in the request that carries it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from portfolio_api.db.table import Table
from portfolio_api.visitors import bots, repository

SALT_LIFETIME_DAYS = 2
"""A salt outlives its day by one day, for containers whose clock is a little behind."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Caller:
    """The client as the counters see it; kept out of reprs so that no log can show the IP."""

    ip: str = field(repr=False)
    user_agent: str = field(repr=False)

    @property
    def is_bot(self) -> bool:
        """Whether this client is a robot that must not be counted."""
        return bots.is_bot(self.user_agent)


def utc_day(moment: datetime) -> date:
    """The UTC calendar day of `moment`."""
    return moment.astimezone(UTC).date()


def epoch_after(day: date, *, days: int = 1) -> int:
    """Epoch seconds of UTC midnight `days` days after the start of `day` (a TTL value)."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return int((start + timedelta(days=days)).timestamp())


def _retire_old_salts(*, table: Table, day: date) -> None:
    """Delete the salt that has just passed its lifetime at the start of `day` (one request,
    once a day); older ones, of days without visits, and a failure are left to TTL: retiring
    must not cost the visit that opened the day."""
    try:
        repository.delete_salt(table=table, day=day - timedelta(days=SALT_LIFETIME_DAYS))
    except Exception as error:  # best effort: TTL deletes them anyway
        logger.warning("old salts not deleted; TTL will", extra={"error": type(error).__name__})


def visitor_hash(*, salt: str, caller: Caller) -> str:
    """The caller's identifier for the salt's day: 128 bits of HMAC, hex."""
    message = f"{caller.ip}\n{caller.user_agent}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:32]


class DailySalts:
    """Today's salt: read or created once per container and day, then served from memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[date, str] | None = None

    def for_day(self, *, table: Table, day: date) -> str:
        """The salt of `day`, creating it if this is the day's first visit anywhere."""
        with self._lock:
            if self._cached is not None and self._cached[0] == day:
                return self._cached[1]
            salt = repository.get_salt(table=table, day=day)
            if salt is None:
                fresh = secrets.token_hex(32)
                salt = repository.create_salt(
                    table=table,
                    day=day,
                    salt=fresh,
                    expires_at=epoch_after(day, days=SALT_LIFETIME_DAYS),
                )
                if salt == fresh:  # this container opened the day
                    _retire_old_salts(table=table, day=day)
            self._cached = (day, salt)
            return salt

    def visitor(self, *, table: Table, day: date, caller: Caller) -> str:
        """The caller's identifier for `day`."""
        return visitor_hash(salt=self.for_day(table=table, day=day), caller=caller)
