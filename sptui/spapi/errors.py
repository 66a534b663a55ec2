"""One exception hierarchy for everything that can go wrong talking to the Services API.

Every error carries what a user needs to act and what Amazon support asks for: the operation,
the HTTP status, Amazon's code, message and details, and the ``x-amzn-RequestId``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import httpx


@dataclass(frozen=True, slots=True)
class ApiMessage:
    """One entry of Amazon's ``errors`` (or ``warnings``) list."""

    code: str | None
    message: str
    details: str | None = None
    error_level: str | None = None


class SpApiError(Exception):
    """Base of every sptui API error."""

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status: int | None = None,
        code: str | None = None,
        details: str | None = None,
        request_id: str | None = None,
        errors: tuple[ApiMessage, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.status = status
        self.code = code
        self.details = details
        self.request_id = request_id
        self.errors = errors

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.insert(0, f"{self.code}:")
        if self.status:
            parts.insert(0, f"HTTP {self.status}")
        if self.operation:
            parts.insert(0, f"[{self.operation}]")
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)


class AuthError(SpApiError):
    """Not authorised: bad credentials, a revoked grant, or a missing role (403)."""

    def __init__(self, message: str, *, final: bool = True, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.final = final


class ThrottledError(SpApiError):
    """429 QuotaExceeded: the usage plan is spent; the request was not applied."""


class NotFoundError(SpApiError):
    """404: the resource does not exist."""


class InvalidInputError(SpApiError):
    """400/413/415: the request was refused as malformed."""


class RequestValidationError(InvalidInputError):
    """Refused before sending: a value breaks a constraint of Amazon's model.

    ``problems`` pairs each offending field (dotted, as on the wire) with what is wrong.
    """

    def __init__(self, operation: str, problems: list[tuple[str, str]]) -> None:
        text = "; ".join(f"{field}: {problem}" if field else problem for field, problem in problems)
        super().__init__(f"not sent, invalid input: {text}", operation=operation)
        self.problems = problems


class UnprocessableError(SpApiError):
    """422: well-formed but refused by a business rule (job state, slot, resources...)."""


class ServerError(SpApiError):
    """5xx: Amazon failed. Transient for reads; for writes the outcome is unknown."""


class TransportError(SpApiError):
    """No usable HTTP answer: connection refused or reset, timeout, TLS failure."""

    def __init__(self, message: str, *, sent: bool, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.sent = sent
        """Whether the request may have reached the server (decides if a write is ambiguous)."""


class Outcome(Enum):
    APPLIED = "applied"
    NOT_APPLIED = "not applied"
    UNKNOWN = "unknown"


class WriteOutcomeError(SpApiError):
    """A write failed ambiguously; the client read the server back to find out what happened.

    It is never retried automatically. ``outcome`` says what the read-back showed, ``cause`` is
    the original failure, ``evidence`` says why in words, and ``appointment_id`` is set when an
    add or reschedule turned out to have been applied. ``recheck`` (when the job can be read
    back) reads it again and judges afresh: an "unknown" may turn out applied a moment later.
    """

    def __init__(
        self,
        cause: SpApiError,
        outcome: Outcome,
        evidence: str,
        appointment_id: str | None = None,
        recheck: Callable[[], Awaitable[Any]] | None = None,
    ) -> None:
        super().__init__(
            f"{cause.message}; read back: {outcome.value} ({evidence})",
            operation=cause.operation,
            status=cause.status,
            code=cause.code,
            details=cause.details,
            request_id=cause.request_id,
            errors=cause.errors,
        )
        self.cause = cause
        self.outcome = outcome
        self.evidence = evidence
        self.appointment_id = appointment_id
        self.recheck = recheck
        """Read the job back again; returns a ``reconcile.Verdict``."""


def parse_messages(raw: Any) -> tuple[ApiMessage, ...]:
    """Amazon's error list; Services sometimes sends it bare instead of under ``errors``."""
    items = raw.get("errors") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        return ()
    messages = []
    for item in items:
        if isinstance(item, dict):
            messages.append(
                ApiMessage(
                    code=_text(item.get("code")),
                    message=_text(item.get("message")) or "",
                    details=_text(item.get("details")) or None,
                    error_level=_text(item.get("errorLevel")),
                )
            )
    return tuple(messages)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_BY_STATUS: dict[int, type[SpApiError]] = {
    400: InvalidInputError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    413: InvalidInputError,
    415: InvalidInputError,
    422: UnprocessableError,
    429: ThrottledError,
}


def error_from_response(operation: str, response: httpx.Response) -> SpApiError:
    """The typed error for a non-2xx answer, whatever its body (JSON, HTML or nothing)."""
    status = response.status_code
    request_id = response.headers.get("x-amzn-RequestId")
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, RecursionError):  # garbled, or nested deeper than Python recurses
        body = None
    errors = parse_messages(body)
    if errors:
        first = errors[0]
        message, code, details = first.message, first.code, first.details
    else:
        kind = response.headers.get("content-type", "").split(";")[0] or "no"
        described = "an empty body" if not response.content else f"a {kind} body"
        phrase = response.reason_phrase or "error"
        message, code, details = f"{phrase} ({described})", None, None
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else SpApiError)
    return cls(
        message,
        operation=operation,
        status=status,
        code=code,
        details=details,
        request_id=request_id,
        errors=errors,
    )
