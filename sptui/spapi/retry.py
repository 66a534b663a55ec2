"""When and how long to wait before trying again."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    """Full-jitter exponential backoff (AWS's recommendation): sleep U(0, min(cap, base*2^n))."""

    base: float = 1.0
    cap: float = 30.0
    attempts: int = 5
    """Tries in all, the first included."""
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base <= 0 or self.cap <= 0:
            raise ValueError("attempts must be >= 1, base and cap > 0")

    def ceiling(self, retry: int) -> float:
        """The longest wait before retry number ``retry`` (0 = the first retry)."""
        return float(min(self.cap, self.base * 2.0**retry))

    def delay(self, retry: int) -> float:
        return self.rng.uniform(0, self.ceiling(retry))


TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
