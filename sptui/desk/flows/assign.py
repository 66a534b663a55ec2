"""Assigning technicians to a job's active appointment: preview before → after, then send.

The preview also ranks the technicians sptui knows of for this job (``technicians.suited``), so
both faces offer first those who serve its store and have its skills.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sptui.spapi import SpApiError
from sptui.spapi.models import ServiceJob

from ..desk import Desk
from ..formatting import active_appointment, named
from ..writes import WriteResult
from .booking import ASSIGN, NotPossible, assign, job_facts
from .guard import Changed, job_state, read_job

RESOURCE_ID_RULE = "a resource id is 1-100 characters without spaces"


@dataclass(frozen=True)
class AssignPreview:
    job_id: str
    appointment_id: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    state: str = field(default="", compare=False)
    about: dict[str, Any] = field(default_factory=dict, compare=False)
    """The job's store and required skills, journalled with the assignment."""


@dataclass
class AssignOutcome:
    result: WriteResult | None
    changed: Changed | None = None


def resource_id_problem(resource_id: str) -> str:
    ok = 0 < len(resource_id) <= 100 and not any(c.isspace() for c in resource_id)
    return "" if ok else RESOURCE_ID_RULE


def preview_assign(job: ServiceJob, resource_ids: list[str]) -> AssignPreview:
    active = active_appointment(job)
    if active is None:
        raise NotPossible("this job has no active appointment to assign: book one")
    ids = tuple(dict.fromkeys(i.strip() for i in resource_ids if i.strip()))
    if not ids:
        raise NotPossible("name at least one technician")
    bad = [i for i in ids if resource_id_problem(i)]
    if bad:
        raise NotPossible(f"{bad[0]}: {RESOURCE_ID_RULE}")
    before = tuple(t.technician_id for t in active.assigned_technicians or [] if t.technician_id)
    return AssignPreview(
        str(job.service_job_id),
        str(active.appointment_id),
        before,
        ids,
        job_state(job),
        job_facts(job),
    )


def describe_assign(preview: AssignPreview, names: dict[str, str]) -> list[str]:
    return [
        f"Assign technicians to job {preview.job_id}, appointment {preview.appointment_id}:",
        f"  before  {named(preview.before, names)}",
        f"  after   {named(preview.after, names)}",
    ]


async def perform_assign(desk: Desk, preview: AssignPreview) -> AssignOutcome:
    """Read the job again; if unchanged, send the assignment."""
    try:
        job = await read_job(desk, preview.job_id)
    except SpApiError as error:
        why = f"the job could not be read again: {error.message}"
        ids = {"serviceJobId": preview.job_id, "appointmentId": preview.appointment_id}
        return AssignOutcome(WriteResult(ASSIGN, ids, "not sent", why))
    if preview.state and job_state(job) != preview.state:
        return AssignOutcome(None, Changed(job, "the job changed since the preview"))
    result = await assign(
        desk, preview.job_id, preview.appointment_id, preview.after, preview.about
    )
    return AssignOutcome(result)
