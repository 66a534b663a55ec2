"""Client-side usage plans: one token bucket per operation, shared by every task of a client.

Pacing here, rather than reacting to 429s, is what lets a bulk run finish in the time the plan
allows without provoking throttles that would cost a full backoff each.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

from .operations import OPERATIONS

RATE_FLOOR = 0.05
"""The lowest rate a server's header can set: one call every 20 s. Amazon's lowest Services plan
is 1/s; a header of 0.001 or 1e-9 (a bug, or a hostile proxy) would otherwise mean waiting
1,000 s or forever."""
RECOVERY_SECONDS = 60.0
"""A rate lowered by a header goes back to the model's plan this long after the last lowering;
if the server still means it, its next answer lowers it again."""

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """A token bucket that hands out reservations, so concurrent callers queue fairly.

    Each ``acquire`` takes a token at once, letting the balance go negative; the caller then
    sleeps until the refill covers its place in the queue. Nobody polls, and N waiters wake at
    exactly the times the rate allows.
    """

    def __init__(self, rate: float, burst: int, *, clock: Clock, sleep: Sleep) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = float(rate)
        self.plan = float(rate)
        """The model's rate: the most a header can raise the bucket to."""
        self.burst = burst
        self._lowered_at: float | None = None
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._lowered_at is not None and now - self._lowered_at >= RECOVERY_SECONDS:
            self.rate, self._lowered_at = self.plan, None

    @property
    def tokens(self) -> float:
        self._refill()
        return self._tokens

    async def acquire(self) -> float:
        """Take one token, waiting as long as the plan requires; returns the time waited."""
        self._refill()
        self._tokens -= 1
        wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait <= 0:
            return 0.0
        try:
            await self._sleep(wait)
        except asyncio.CancelledError:
            self._tokens += 1  # give the place back: a cancelled caller sends nothing
            raise
        return wait

    def try_acquire(self) -> bool:
        """Take a token if one is there now, never waiting (how a server enforces a plan)."""
        self._refill()
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def drain(self) -> None:
        """The server said 429: whatever we believed, the bucket is empty now."""
        self._refill()
        self._tokens = min(self._tokens, 0.0)

    def adopt_rate(self, rate: float) -> None:
        """Follow the rate a server reported in ``x-amzn-RateLimit-Limit``.

        Kept between ``RATE_FLOOR`` and the model's plan; a lower rate holds until
        ``RECOVERY_SECONDS`` after the server last said so.
        """
        if not math.isfinite(rate) or rate <= 0:
            return
        self._refill()
        self.rate = min(self.plan, max(RATE_FLOOR, rate))
        self._lowered_at = self._clock() if self.rate < self.plan else None


class RateLimiter:
    """The buckets of one client, seeded from the default usage plans."""

    def __init__(self, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self.buckets = {
            op_id: TokenBucket(op.rate, op.burst, clock=clock, sleep=sleep)
            for op_id, op in OPERATIONS.items()
        }

    def bucket(self, operation_id: str) -> TokenBucket:
        return self.buckets[operation_id]

    def observe_limit_header(self, operation_id: str, value: str | None) -> None:
        if not value:
            return
        try:
            rate = float(value)
        except ValueError:
            return
        self.buckets[operation_id].adopt_rate(rate)
