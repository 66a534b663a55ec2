"""Carrying out one write: journal it, send it, journal what came of it, say it plainly.

Headless (no Textual), so the console's dialogs and its bulk runs share one path and tests can
drive it directly.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sptui.spapi import RequestValidationError, SpApiError, WriteOutcomeError
from sptui.spapi.errors import ApiMessage

from .journal import SENDING, Journal, JournalError


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
    created: dict[str, str] = field(default_factory=dict)
    """Ids the write made (a new reservation's id), journalled so they can be found again."""
    unrecorded: str = ""
    """Why this outcome is missing from the journal (the write was sent, but the disk was full,
    say); empty when it was recorded. The user must hear it along with the outcome."""
    recheck: Callable[[], Awaitable[Any]] | None = field(default=None, repr=False, compare=False)
    """After an ambiguous failure: reads the job back and judges again (a reconcile.Verdict)."""
    base: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What the journal lines of this write share, for a later line about it."""

    @property
    def took_effect(self) -> bool:
        return self.outcome in ("succeeded", "applied")


def _messages(answer: Any, name: str) -> tuple[ApiMessage, ...]:
    """Warnings or errors of a 200, whether on the answer or on its one record (reservations
    carry them on ``payload``; a schedule's per-record ones are its screen's to show)."""
    found = list(getattr(answer, name, None) or [])
    payload = getattr(answer, "payload", None)
    if payload is not None and not isinstance(payload, list):
        found += list(getattr(payload, name, None) or [])
    return tuple(ApiMessage(m.code, m.message or "", getattr(m, "details", None)) for m in found)


async def perform(
    journal: Journal,
    context: dict[str, Any],
    operation: str,
    ids: dict[str, str],
    parameters: dict[str, Any],
    send: Callable[[], Awaitable[Any]],
    created: Callable[[Any], dict[str, str]] | None = None,
    about: dict[str, Any] | None = None,
) -> WriteResult:
    """Send one write, with a journal line before and after.

    ``context`` says who and where (profile, mode); ``parameters`` must hold no PII;
    ``created`` picks from a successful answer the ids it made; ``about`` is what the journal
    should keep of what the write concerned, to learn from later (an assignment's store and
    required skills, which tell what a refusal of a technician meant): no PII either.
    """
    base = {**context, "operation": operation, "ids": ids, "parameters": parameters}
    if about:
        base["about"] = about
    try:
        journal.append({**base, "outcome": SENDING})
    except JournalError as error:
        # A write that could not be journalled first is not sent: nothing may go out unrecorded.
        message = f"the journal could not be written: {error}; nothing was sent"
        refused = WriteResult(operation, ids, "not sent", message)
        # The line may be there all the same (written, not flushed): close it if we can, so the
        # next start does not report a write that never went out.
        with contextlib.suppress(JournalError):
            _record(journal, base, refused)
        return refused
    try:
        answer = await send()
    except RequestValidationError as error:
        result = WriteResult(operation, ids, "not sent", error.message)
    except WriteOutcomeError as error:
        found = {"appointmentId": error.appointment_id} if error.appointment_id else {}
        result = WriteResult(
            operation,
            ids,
            error.outcome.value,
            f"{error.cause.message}; read back: {error.evidence}",
            error.request_id,
            created=found,
            recheck=error.recheck,
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
    except BaseException:
        # Cancelled (sptui is closing) or a fault of sptui's own, maybe after the request went
        # out: the journal must not be left saying "sending" for ever.
        why = "stopped before the answer came: read it back"
        stopped = WriteResult(operation, ids, "unknown", why)
        with contextlib.suppress(JournalError):
            _record(journal, base, stopped)
        raise
    else:
        warnings = _messages(answer, "warnings")
        errors = _messages(answer, "errors")
        if errors:  # a 200 that carries errors did not do what was asked
            text = f"{errors[0].code}: {errors[0].message}"
            result = WriteResult(
                operation, ids, "failed", text, answer.request_id, warnings, errors
            )
        else:
            # an upload answers no request id of its own
            rid = getattr(answer, "request_id", None)
            made = created(answer) if created else {}
            result = WriteResult(
                operation, ids, "succeeded", "done", rid, warnings, answer=answer, created=made
            )
    result.base = base
    try:
        _record(journal, base, result)
    except JournalError as error:
        # The write went out and its outcome is known: losing it to the journal would be worse.
        result.unrecorded = f"this outcome could not be written to the journal: {error}"
    return result


FOLLOW_UP_DELAYS = (2.0, 5.0, 10.0)
"""When to look again at a write whose outcome is unknown: a write held up on its way (a timeout
on our side) usually lands within seconds, or not at all."""


async def follow_up(
    journal: Journal,
    result: WriteResult,
    *,
    delays: tuple[float, ...] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> WriteResult:
    """Look again at an unknown outcome until the job tells; the result as it then stands.

    A verdict found is journalled as one more line (``"reconciled": true``); the write is never
    sent again. Still unknown after the last look, the result is returned as it was.
    """
    if result.outcome != "unknown" or result.recheck is None:
        return result
    waited = 0.0
    for delay in FOLLOW_UP_DELAYS if delays is None else delays:
        await sleep(delay)
        waited += delay
        verdict = await result.recheck()
        if verdict.outcome.value == "unknown":
            continue
        found = {"appointmentId": verdict.appointment_id} if verdict.appointment_id else {}
        settled = replace(
            result,
            outcome=verdict.outcome.value,
            message=f"{result.message}; looked again {waited:g} s later: {verdict.evidence}",
            created={**result.created, **found},
            recheck=None,
        )
        try:
            _record(journal, {**result.base, "reconciled": True}, settled)
        except JournalError as error:
            settled.unrecorded = f"this outcome could not be written to the journal: {error}"
        return settled
    return result


def _record(journal: Journal, base: dict[str, Any], result: WriteResult) -> None:
    journal.append(
        {
            **base,
            "outcome": result.outcome,
            "message": result.message,
            "request_id": result.request_id,
            "warnings": [w.code for w in result.warnings],
            # every error in Amazon's words: a refusal names the code and the resources it is
            # about, which is what the assign dialog learns from (technicians.refusals)
            **(
                {"errors": [{"code": e.code, "message": e.message} for e in result.errors]}
                if result.errors
                else {}
            ),
            **({"created": result.created} if result.created else {}),
        }
    )
