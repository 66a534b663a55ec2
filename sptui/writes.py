"""Carrying out one write: journal it, send it, journal what came of it, say it plainly.

Headless (no Textual), so the console's dialogs and its bulk runs share one path and tests can
drive it directly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .journal import Journal
from .spapi import RequestValidationError, SpApiError, WriteOutcomeError
from .spapi.errors import ApiMessage


@dataclass
class WriteResult:
    operation: str
    ids: dict[str, str]
    outcome: str
    """succeeded, applied, not applied, unknown, failed, or not sent."""
    message: str
    request_id: str | None = None
    warnings: tuple[ApiMessage, ...] = field(default=())
    errors: tuple[ApiMessage, ...] = field(default=())
    """All of Amazon's error entries (an assignment can be refused for several reasons at once)."""
    answer: Any = field(default=None, repr=False)
    """What the server answered, when it succeeded (an upload's reference to attach, say)."""

    @property
    def took_effect(self) -> bool:
        return self.outcome in ("succeeded", "applied")


async def perform(
    journal: Journal,
    context: dict[str, Any],
    operation: str,
    ids: dict[str, str],
    parameters: dict[str, Any],
    send: Callable[[], Awaitable[Any]],
) -> WriteResult:
    """Send one write, with a journal line before and after.

    ``context`` says who and where (profile, mode); ``parameters`` must hold no PII.
    """
    base = {**context, "operation": operation, "ids": ids, "parameters": parameters}
    journal.append({**base, "outcome": "sending"})
    try:
        answer = await send()
    except RequestValidationError as error:
        result = WriteResult(operation, ids, "not sent", error.message)
    except WriteOutcomeError as error:
        result = WriteResult(
            operation,
            ids,
            error.outcome.value,
            f"{error.cause.message}; read back: {error.evidence}",
            error.request_id,
        )
    except SpApiError as error:
        code = f"{error.code}: " if error.code else ""
        result = WriteResult(
            operation,
            ids,
            "failed",
            f"{code}{error.message}",
            error.request_id,
            errors=error.errors,
        )
    else:
        warnings = tuple(
            ApiMessage(w.code, w.message or "", w.details)
            for w in (getattr(answer, "warnings", None) or [])
        )
        errors = getattr(answer, "errors", None) or []
        if errors:  # a 200 that carries errors did not do what was asked
            first = errors[0]
            text = f"{first.code}: {first.message}"
            result = WriteResult(operation, ids, "failed", text, answer.request_id)
        else:
            # an upload answers no request id of its own
            rid = getattr(answer, "request_id", None)
            result = WriteResult(operation, ids, "succeeded", "done", rid, warnings, answer=answer)
    journal.append(
        {
            **base,
            "outcome": result.outcome,
            "message": result.message,
            "request_id": result.request_id,
            "warnings": [w.code for w in result.warnings],
        }
    )
    return result
