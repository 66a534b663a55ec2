"""Deciding, from a job read back after an ambiguous failure, whether a write took effect.

Amazon offers no idempotency key, and an add or reschedule makes a new appointment each time it
is applied, so a write that timed out or got a 5xx is never simply sent again: the job is read
back and the verdict reported. These functions are pure so that the rules are easy to test.

"Not applied" is said only when the job's state rules the write out for good (the job closed
another way, another appointment took the place): a write still on its way, or queued behind a
5xx, can be applied a second after the read. Anything short of proof is "unknown", and the
caller may look again (``WriteOutcomeError.recheck``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from .errors import Outcome
from .models import (
    Appointment,
    AppointmentStatus,
    ServiceJob,
    ServiceJobStatus,
    SetAppointmentFulfillmentDataRequest,
)


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    evidence: str
    appointment_id: str | None = None


def _status(job: ServiceJob) -> str:
    return str(job.service_job_status.value) if job.service_job_status else "unknown"


def _active(job: ServiceJob) -> list[Appointment]:
    return [a for a in job.appointments or [] if a.appointment_status == AppointmentStatus.ACTIVE]


def _starts_at(appointment: Appointment, start: datetime) -> bool:
    time = appointment.appointment_time
    return bool(time and time.start_time and time.start_time == start)


_CLOSED = frozenset({ServiceJobStatus.CANCELLED, ServiceJobStatus.COMPLETED})


def _not_yet(what: str) -> Verdict:
    return Verdict(Outcome.UNKNOWN, f"{what}: the write may not have arrived yet; look again")


def after_status_change(job: ServiceJob, target: ServiceJobStatus) -> Verdict:
    """Cancel and complete: the job's status says it all."""
    if job.service_job_status == target:
        return Verdict(Outcome.APPLIED, f"the job is now {target.value}")
    if job.service_job_status in _CLOSED:
        return Verdict(Outcome.NOT_APPLIED, f"the job is {_status(job)}: it cannot change now")
    return _not_yet(f"the job is still {_status(job)}")


def after_add(job: ServiceJob, start: datetime) -> Verdict:
    active = _active(job)
    for appointment in active:
        if _starts_at(appointment, start):
            return Verdict(
                Outcome.APPLIED,
                "the job has an active appointment at the requested time",
                appointment.appointment_id,
            )
    if active:  # a job holds one active appointment: this add can no longer be applied
        return Verdict(Outcome.NOT_APPLIED, "the job's active appointment is at another time")
    return _not_yet("the job has no active appointment")


def after_reschedule(job: ServiceJob, old_id: str, start: datetime) -> Verdict:
    for appointment in _active(job):
        if appointment.rescheduled_appointment_id == old_id or _starts_at(appointment, start):
            return Verdict(
                Outcome.APPLIED,
                "an active appointment replaces the old one",
                appointment.appointment_id,
            )
    old = _find(job, old_id)
    if old is not None and old.appointment_status == AppointmentStatus.ACTIVE:
        return _not_yet("the old appointment is still active")
    if _active(job):  # another move replaced the old appointment: this one cannot apply now
        return Verdict(Outcome.NOT_APPLIED, "another appointment replaced the old one")
    return Verdict(Outcome.UNKNOWN, "no active appointment, and the old one is not active")


def _find(job: ServiceJob, appointment_id: str) -> Appointment | None:
    for appointment in job.appointments or []:
        if appointment.appointment_id == appointment_id:
            return appointment
    return None


def after_assign(job: ServiceJob, appointment_id: str, resource_ids: Iterable[str]) -> Verdict:
    appointment = _find(job, appointment_id)
    if appointment is None:
        return Verdict(Outcome.UNKNOWN, "the appointment is not on the job any more")
    assigned = {t.technician_id for t in appointment.assigned_technicians or []}
    wanted = set(resource_ids)
    if wanted <= assigned:
        return Verdict(Outcome.APPLIED, "the appointment lists the requested technicians")
    if appointment.appointment_status != AppointmentStatus.ACTIVE:
        return Verdict(Outcome.NOT_APPLIED, "the appointment is no longer active")
    return _not_yet("the appointment does not list the requested technicians")


def after_fulfillment(job: ServiceJob, appointment_id: str, wire: Any) -> Verdict:
    appointment = _find(job, appointment_id)
    poa = appointment.poa if appointment else None
    try:
        request = SetAppointmentFulfillmentDataRequest.from_wire(wire or {})
    except ValidationError:
        request = None
    if poa is not None and request is not None:
        wanted = {r.resource_id for r in request.appointment_resources or []}
        shown = {t.technician_id for t in poa.technicians or []}
        ftime = request.fulfillment_time
        poa_start = poa.appointment_time.start_time if poa.appointment_time else None
        if (wanted and wanted <= shown) or (
            ftime and ftime.start_time and ftime.start_time == poa_start
        ):
            return Verdict(Outcome.APPLIED, "the proof of appointment shows the data sent")
    # Setting fulfillment data replaces what was set, so sending it again is harmless.
    return Verdict(
        Outcome.UNKNOWN,
        "the job does not show whether the data arrived; sending it again is safe",
    )


def without_read_back(what: str) -> Verdict:
    return Verdict(
        Outcome.UNKNOWN,
        f"the Services API cannot read {what} back; check the capacity view before retrying",
    )
