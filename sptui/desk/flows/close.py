"""Cancelling or completing jobs, one or many: preview what will happen, then perform exactly it.

The preview sorts the jobs into those that will be sent and those skipped with the reason
(a completed job cannot be cancelled). Performing sends the previewed jobs a few at a time,
paced by the client's usage plan, and can be stopped: what is in flight finishes, the rest is
reported "not sent". Every attempt is journalled by the one write path.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from ..desk import Desk
from ..formatting import NONE, status_label
from ..local_time import zone_name
from ..summary import JobSummary
from ..text import clean
from ..writes import WriteResult, perform

CANCELLABLE = frozenset({"NOT_SERVICED", "PENDING_SCHEDULE", "HOLD"})
COMPLETABLE = frozenset({"NOT_SERVICED"})
REASON = re.compile(r"^[A-Z0-9_]{1,100}$")
REASON_RULE = "a reason code is 1-100 of A-Z, 0-9 and _"
FEE_NOTE = (
    "Cancelling a job on the provider's side may carry a fee under Amazon's service-provider "
    "policy; cancel for the buyer's reason when it is theirs."
)
PARALLEL = 4
OPERATIONS = {
    "cancel": "cancelServiceJobByServiceJobId",
    "complete": "completeServiceJobByServiceJobId",
}


@dataclass(frozen=True)
class ClosePreview:
    action: str
    """cancel or complete."""
    send: tuple[JobSummary, ...]
    skip: tuple[tuple[JobSummary, str], ...]
    """Jobs that will not be sent, and why."""
    reason: str | None = None
    """The cancellation reason code (cancel only)."""

    @property
    def notes(self) -> tuple[str, ...]:
        return (FEE_NOTE,) if self.action == "cancel" and self.send else ()


TYPED_COUNT_OVER = 10
"""On a live account, a cancel of more jobs than this asks the user to type how many."""


def count_to_type(live: bool, action: str, count: int) -> int | None:
    """The number the user must type to confirm (a large cancel of real jobs), or None."""
    return count if live and action == "cancel" and count > TYPED_COUNT_OVER else None


def reason_problem(code: str | None) -> str:
    """Why a cancellation reason code cannot be sent; empty when it can."""
    if not code:
        return "choose or type a reason code"
    return "" if REASON.match(code) else REASON_RULE


def preview_close(
    action: str, jobs: Sequence[JobSummary], reason: str | None = None
) -> ClosePreview:
    """What cancelling or completing these jobs would send; nothing is sent."""
    allowed = CANCELLABLE if action == "cancel" else COMPLETABLE
    done = {"cancel": "cancelled", "complete": "completed"}[action]
    send = tuple(j for j in jobs if j.status in allowed)
    skip = tuple(
        (j, f"{status_label(j.status)} jobs cannot be {done}")
        for j in jobs
        if j.status not in allowed
    )
    return ClosePreview(action, send, skip, reason if action == "cancel" else None)


def describe_close(preview: ClosePreview, zone: tzinfo | None = None) -> list[str]:
    """The preview in lines a person reads (the command line prints them); a scheduled time
    names ``zone``, the one the jobs were summarised in."""
    verb = "Cancel" if preview.action == "cancel" else "Complete"
    count = len(preview.send)
    lines = [f"{verb} {count} job{'s' if count != 1 else ''} on Amazon:"]
    for job in preview.send:
        when = job.cells[1] if job.cells[1] == NONE else f"{job.cells[1]} {zone_name(zone)}"
        lines.append(f"  {job.job_id}  {job.cells[2]}  ·  {when}  ·  {status_label(job.status)}")
    for job, why in preview.skip:
        lines.append(f"  skipped {clean(job.job_id)}: {why}")
    if preview.reason:
        lines.append(f"Reason code: {preview.reason}")
    lines.extend(preview.notes)
    return lines


async def perform_close(
    desk: Desk,
    preview: ClosePreview,
    *,
    parallel: int = PARALLEL,
    on_result: Callable[[JobSummary, WriteResult], None] | None = None,
    stop: asyncio.Event | None = None,
) -> dict[str, WriteResult]:
    """Send exactly the previewed jobs; returns each sent job's result by id.

    Jobs left unsent because ``stop`` was set are absent from the result: "not sent".
    """
    if preview.action == "cancel" and reason_problem(preview.reason):
        raise ValueError(reason_problem(preview.reason))
    queue = list(preview.send)
    results: dict[str, WriteResult] = {}
    operation = OPERATIONS[preview.action]
    client = desk.client

    def send(job: JobSummary) -> Callable[[], Awaitable[Any]]:
        if preview.action == "cancel":
            return lambda: client.cancel_service_job_by_service_job_id(
                job.job_id, str(preview.reason)
            )
        return lambda: client.complete_service_job_by_service_job_id(job.job_id)

    async def worker() -> None:
        while queue and not (stop and stop.is_set()):
            job = queue.pop(0)
            parameters = {"cancellationReasonCode": preview.reason} if preview.reason else {}
            result = await perform(
                desk.journal,
                desk.context(),
                operation,
                {"serviceJobId": job.job_id},
                parameters,
                send(job),
            )
            results[job.job_id] = result
            if on_result is not None:
                on_result(job, result)

    await asyncio.gather(*(worker() for _ in range(min(parallel, len(queue)) or 1)))
    return results
