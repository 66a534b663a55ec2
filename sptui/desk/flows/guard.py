"""Reading a job again just before a write, so that a preview cannot go stale unnoticed.

Another dispatcher or another console may have moved, assigned or closed the job since the
preview was shown. A write confirmed against a stale picture is not sent: the face shows the
job as it is now and the user decides again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sptui.spapi import NotFoundError
from sptui.spapi.models import GetServiceJobByServiceJobIdResponse, ServiceJob

from ..desk import Desk
from ..formatting import active_appointment


@dataclass(frozen=True)
class Changed:
    job: ServiceJob
    """The job as it is now."""
    why: str


def job_state(job: ServiceJob) -> str:
    """What a write depends on: status, the active appointment, its time and technicians."""
    active = active_appointment(job)
    time = active.appointment_time if active else None
    crew = sorted(
        t.technician_id or "" for t in (active.assigned_technicians if active else []) or []
    )
    return "|".join(
        (
            str(getattr(job.service_job_status, "value", job.service_job_status) or ""),
            str(active.appointment_id) if active else "",
            str(time.start_time) if time else "",
            str(time.duration_in_minutes) if time else "",
            ",".join(crew),
        )
    )


async def read_answer(desk: Desk, job_id: str) -> GetServiceJobByServiceJobIdResponse:
    """Amazon's answer for the job now (its request id with it), kept by the desk."""
    asked = desk.clock()
    answer = await desk.client.get_service_job_by_service_job_id(job_id)
    if answer.payload is not None:
        desk.keep(answer.payload, asked)
    return answer


async def read_job(desk: Desk, job_id: str) -> ServiceJob:
    """The job as the server has it now; NotFoundError when it answers no job."""
    answer = await read_answer(desk, job_id)
    if answer.payload is None:
        raise NotFoundError(f"no job {job_id}", operation="getServiceJobByServiceJobId")
    return answer.payload
