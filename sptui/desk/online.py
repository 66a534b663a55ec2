"""Whether Amazon can be reached, how to try again, and how current the stored jobs are.

The console works from its job store; a sync brings the store up to date. When a sync cannot
reach Amazon, or Login with Amazon, the console is *offline*: it keeps browsing the store,
refuses writes before sending anything, and tries the sync again after a growing pause until
one works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

OFFLINE_WRITE = (
    "Offline: Amazon could not be reached at the last sync ({since}). Writes are refused until "
    "it can be; nothing was sent. sptui keeps trying by itself (r tries now)."
)


def unreachable(error: BaseException) -> bool:
    """Amazon or Login with Amazon could not be reached: the console is offline.

    - no answer at all (refused, reset, timed out, a name that does not resolve), after the
      client's own retries: ``TransportError``;
    - the token endpoint could not be reached, or said it is unavailable (``server_error``,
      ``temporarily_unavailable``, a 5xx): an ``AuthError`` that is not final. Without an
      access token nothing can be read or written. A final one (``invalid_grant``, a revoked
      app) is no outage: trying again would not help, the user must act.

    A 5xx from the API itself is an answer, with a request id to quote: it is said as an
    error, and the sync is tried again later (``worth_retrying``), but reads and writes that
    work are not refused because one listing failed.
    """
    from sptui.spapi.errors import AuthError, TransportError

    if isinstance(error, TransportError):
        return True
    return isinstance(error, AuthError) and not error.final


def worth_retrying(error: BaseException) -> bool:
    """A sync that failed this way is tried again by itself, after a growing pause: offline,
    Amazon's 5xx, throttling. A refusal (403, 400, a final login error) waits for the user."""
    from sptui.spapi.errors import ServerError, ThrottledError

    return unreachable(error) or isinstance(error, ServerError | ThrottledError)


@dataclass
class Backoff:
    """Pauses between tries: ``first``, doubling each time, at most ``most`` (seconds)."""

    first: float = 5.0
    most: float = 60.0
    tries: int = 0

    def next(self) -> float:
        delay = min(self.most, self.first * 2.0**self.tries)
        self.tries += 1
        return delay

    def reset(self) -> None:
        self.tries = 0


def ago(then: datetime, now: datetime) -> str:
    """'just now', '12 min ago', '3 h ago', '2 days ago' (whole units, rounded down)."""
    seconds = max(0.0, (now - then).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def as_of(synced: datetime, now: datetime, zone: tzinfo | None) -> str:
    """How current the stored jobs are: 'as of 14:02, 12 min ago' ('as of 28 Nov 14:02, 2 days
    ago' on another day). Minutes at most: the words change at most once a minute."""
    local = synced.astimezone(zone)
    today = now.astimezone(zone).date()
    moment = f"{local:%H:%M}" if local.date() == today else f"{local:%d %b %H:%M}"
    return f"as of {moment}, {ago(synced, now)}"


def minute_after(now: datetime) -> timedelta:
    """How long until the next whole minute: when an age in words may next change."""
    return timedelta(seconds=60 - now.second - now.microsecond / 1e6)
