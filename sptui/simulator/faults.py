"""Faults on demand: what can go wrong between a client and Amazon, at chosen rates."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class FaultPlan:
    """Each rate is a probability per API request, from 0 to 1."""

    latency_ms: float = field(
        default=0.0, metadata={"help": "milliseconds added to every API answer"}
    )
    jitter_ms: float = field(default=0.0, metadata={"help": "random spread of that latency, +/-"})
    error_500_rate: float = field(
        default=0.0, metadata={"help": "answers that are 500 InternalFailure"}
    )
    error_503_rate: float = field(
        default=0.0,
        metadata={"help": "answers that are 503 with an HTML body, as Amazon's front door sends"},
    )
    hang_rate: float = field(
        default=0.0, metadata={"help": "requests that hang for --hang-seconds"}
    )
    hang_seconds: float = field(default=3600.0, metadata={"help": "how long a hung request hangs"})
    drop_rate: float = field(
        default=0.0, metadata={"help": "connections closed before a whole answer; nothing applied"}
    )
    malformed_rate: float = field(
        default=0.0,
        metadata={"help": "2xx answers whose JSON is cut short (after any change applied)"},
    )
    applied_then_failed_rate: float = field(
        default=0.0, metadata={"help": "writes that are applied, then answered with a 500"}
    )
    token_ttl_seconds: float | None = field(
        default=None,
        metadata={"help": "access tokens stop working after this long (LWA still says 3600 s)"},
    )
    seed: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.rng.seed(self.seed)
        self.validate()

    def validate(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_rate") and not 0 <= value <= 1:
                raise ValueError(f"{f.name} must be between 0 and 1, got {value}")
            if f.name.endswith(("_ms", "_seconds")) and value is not None and value < 0:
                raise ValueError(f"{f.name} must not be negative")

    def roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate

    def delay(self) -> float:
        if not self.latency_ms and not self.jitter_ms:
            return 0.0
        jitter = self.rng.uniform(-self.jitter_ms, self.jitter_ms)
        return max(0.0, self.latency_ms + jitter) / 1000

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("rng")
        return data

    def update(self, changes: dict[str, Any]) -> None:
        """Change some settings at run time; unknown names or bad values change nothing."""
        known = {f.name: f for f in fields(self) if f.name != "rng"}
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(unknown)}")
        trial = FaultPlan(**{**self.as_dict(), **changes})  # validates before touching self
        for name in changes:
            setattr(self, name, getattr(trial, name))
        if "seed" in changes:
            self.rng.seed(self.seed)

    def clear(self) -> None:
        self.update({f.name: f.default for f in fields(self) if f.name not in ("rng", "seed")})
