"""Which function answers which operation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .calls import Call


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    """None for an empty body (204); for an error, the list of Amazon's error entries."""
    verbatim: bool = False
    """Send ``body`` exactly as it is (the static-sandbox cases carry Amazon's own bodies)."""


Handler = Callable[[Call], Awaitable[Answer]]
HANDLERS: dict[str, Handler] = {}


def answers(operation_id: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[operation_id] = handler
        return handler

    return register
