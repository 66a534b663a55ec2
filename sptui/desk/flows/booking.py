"""Booking an appointment for a job, or moving its active one: preview, then perform exactly it.

The preview says what will be sent: the job, the appointment, old and new times, and, for a
move, the technicians Amazon will unassign (a reschedule makes a new appointment without them).
Unless told not to, the move is followed by assigning the same technicians again (or others,
when the move also hands the appointment to someone else); a booking can be followed by
assigning the technicians chosen for it ("book then assign", as the dispatch board does): two
writes, one confirmation, each reported on its own. If the second fails, the first stands and
is reported done, the assignment not. Just before sending, the job is read again; if it changed
since the preview (another dispatcher, another console), nothing is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sptui.spapi import SpApiError
from sptui.spapi.models import (
    AddAppointmentRequest,
    AppointmentResource,
    AppointmentTimeInput,
    AssignAppointmentResourcesRequest,
    RescheduleAppointmentRequest,
    ServiceJob,
)

from ..desk import Desk
from ..formatting import active_appointment, named, status_label, window
from ..writes import WriteResult, perform
from .close import REASON
from .guard import Changed, job_state, read_job

MAX_AHEAD = timedelta(days=365)
BOOKABLE = frozenset({"PENDING_SCHEDULE", "NOT_SERVICED"})
ADD = "addAppointmentForServiceJobByServiceJobId"
MOVE = "rescheduleAppointmentForServiceJobByServiceJobId"
ASSIGN = "assignAppointmentResources"


class NotPossible(ValueError):
    """The write cannot be previewed as asked; the message says why. Nothing was sent."""


@dataclass(frozen=True)
class BookingPreview:
    job_id: str
    start: datetime
    """UTC."""
    minutes: int
    appointment_id: str | None = None
    """The active appointment a move replaces; None books a new one."""
    old_start: datetime | None = None
    old_minutes: int | None = None
    reason: str | None = None
    reassign: tuple[str, ...] = ()
    """Technicians to assign once the booking or move took effect: after a move the same ones
    again (Amazon unassigns them) or those it is handed to; after a booking, those chosen."""
    unassigned: tuple[str, ...] = ()
    """Technicians the move takes off (all of them, by Amazon's rule)."""
    state: str = field(default="", compare=False)
    """The job as previewed, to tell whether it changed before sending."""
    about: dict[str, Any] = field(default_factory=dict, compare=False)
    """The job's store and required skills, journalled with a re-assignment."""

    @property
    def moving(self) -> bool:
        return self.appointment_id is not None


@dataclass
class BookingOutcome:
    results: list[WriteResult]
    """The booking or move first, then the re-assignment if one was sent."""
    changed: Changed | None = None
    """Set when the job changed since the preview: nothing was sent."""

    @property
    def booked(self) -> WriteResult | None:
        return self.results[0] if self.results else None

    @property
    def assigned(self) -> WriteResult | None:
        return self.results[1] if len(self.results) > 1 else None


def time_problem(start: datetime, minutes: int | None, now: datetime) -> str | None:
    """Why Amazon would refuse this time; None when it may be sent."""
    if minutes is None or minutes < 1:
        return "the duration is a whole number of minutes, at least 1"
    if start <= now:
        return "that time has passed: an appointment must start in the future"
    if start - now > MAX_AHEAD:
        return "Amazon books at most 365 days ahead"
    return None


def preview_booking(
    job: ServiceJob,
    start: datetime,
    minutes: int | None,
    now: datetime,
    *,
    move: bool = False,
    reason: str | None = None,
    reassign: bool = True,
    assign_to: Sequence[str] | None = None,
) -> BookingPreview:
    """What booking (or, with ``move``, rescheduling) would send; NotPossible says why not.

    ``assign_to`` names the technicians to assign once it took effect: for a booking, any
    (book then assign); for a move, others than the appointment has now (otherwise the same
    ones are assigned again, unless ``reassign`` is False)."""
    status = str(getattr(job.service_job_status, "value", job.service_job_status) or "")
    active = active_appointment(job)
    job_id = str(job.service_job_id)
    if move:
        if active is None:
            raise NotPossible("this job has no active appointment to move: book one")
        if not reason:
            raise NotPossible("a move needs a reason code (R1 is in Amazon's model)")
        if not REASON.match(reason):
            raise NotPossible("a reason code is 1-100 of A-Z, 0-9 and _")
        time = active.appointment_time
        minutes = minutes or (time.duration_in_minutes if time else None) or 60
    else:
        if active is not None:
            raise NotPossible("this job already has an active appointment: move it instead")
        if status not in BOOKABLE:
            raise NotPossible(f"{status_label(status)} jobs cannot be booked")
        minutes = minutes or 60
    problem = time_problem(start, minutes, now)
    if problem:
        raise NotPossible(problem)
    chosen = tuple(dict.fromkeys(i.strip() for i in assign_to or () if i.strip()))
    bad = [i for i in chosen if len(i) > 100 or any(c.isspace() for c in i)]
    if bad:
        raise NotPossible(f"{bad[0]}: a resource id is 1-100 characters without spaces")
    if not move:
        return BookingPreview(
            job_id, start, minutes, reassign=chosen, state=job_state(job), about=job_facts(job)
        )
    assert active is not None
    time = active.appointment_time
    crew = tuple(t.technician_id for t in active.assigned_technicians or [] if t.technician_id)
    return BookingPreview(
        job_id,
        start,
        minutes,
        appointment_id=str(active.appointment_id),
        old_start=time.start_time if time else None,
        old_minutes=time.duration_in_minutes if time else None,
        reason=reason,
        reassign=chosen or (crew if reassign else ()),
        unassigned=crew,
        state=job_state(job),
        about=job_facts(job),
    )


def describe_booking(
    preview: BookingPreview, zone: tzinfo | None, names: dict[str, str] | None = None
) -> list[str]:
    """The preview in lines a person reads: times in their zone and in UTC; technicians by
    name where ``names`` knows them."""
    new = window(preview.start, preview.minutes, zone)
    utc = preview.start.strftime("%Y-%m-%dT%H:%MZ")
    if not preview.moving:
        lines = [f"Book job {preview.job_id} at {new} (sent as {utc})."]
        if preview.reassign:
            lines += [
                f"Then assign {named(preview.reassign, names)} to the new appointment.",
                "Two writes: if the assignment is refused, the booking stands (reported apart).",
            ]
        else:
            lines.append("The new appointment starts with no technician assigned.")
        return lines
    old = window(preview.old_start, preview.old_minutes, zone)
    lines = [
        f"Move job {preview.job_id}, appointment {preview.appointment_id}:",
        f"  from {old}",
        f"  to   {new} (sent as {utc})",
        f"  reason code {preview.reason}",
    ]
    if preview.unassigned:
        who = named(preview.unassigned, names)
        if preview.reassign == preview.unassigned:
            lines.append(f"Amazon unassigns {who} on a move; they will be assigned again.")
        elif preview.reassign:
            lines.append(
                f"Amazon unassigns {who} on a move; {named(preview.reassign, names)} will be "
                "assigned instead."
            )
        else:
            lines.append(f"Amazon unassigns {who} on a move; they will stay unassigned.")
    elif preview.reassign:
        lines.append(f"Then {named(preview.reassign, names)} will be assigned.")
    return lines


async def perform_booking(desk: Desk, preview: BookingPreview) -> BookingOutcome:
    """Read the job again; if unchanged, send the booking (and the re-assignment after a move)."""
    try:
        job = await read_job(desk, preview.job_id)
    except SpApiError as error:
        return BookingOutcome(
            [_not_sent(preview, f"the job could not be read again: {error.message}")]
        )
    if preview.state and job_state(job) != preview.state:
        return BookingOutcome([], Changed(job, "the job changed since the preview"))
    time = AppointmentTimeInput(start_time=preview.start, duration_in_minutes=preview.minutes)
    client = desk.client
    if preview.appointment_id is None:
        request = AddAppointmentRequest(appointment_time=time)
        booked = await perform(
            desk.journal,
            desk.context(),
            ADD,
            {"serviceJobId": preview.job_id},
            request.to_wire()["appointmentTime"],
            lambda: client.add_appointment_for_service_job_by_service_job_id(
                preview.job_id, request
            ),
        )
        return BookingOutcome([booked, *await _then_assign(desk, preview, booked)])
    old_id = preview.appointment_id
    move = RescheduleAppointmentRequest(
        appointment_time=time, reschedule_reason_code=str(preview.reason)
    )
    moved = await perform(
        desk.journal,
        desk.context(),
        MOVE,
        {"serviceJobId": preview.job_id, "appointmentId": old_id},
        {**move.to_wire()["appointmentTime"], "rescheduleReasonCode": preview.reason},
        lambda: client.reschedule_appointment_for_service_job_by_service_job_id(
            preview.job_id, old_id, move
        ),
    )
    return BookingOutcome([moved, *await _then_assign(desk, preview, moved)])


async def _then_assign(
    desk: Desk, preview: BookingPreview, first: WriteResult
) -> list[WriteResult]:
    """The second write: assign the technicians on the appointment the first one made. Sent
    only once the first took effect; if it did not, nothing (the first's result says why)."""
    if not preview.reassign or not first.took_effect:
        return []
    new_id = _new_appointment_id(first)
    if new_id:
        return [await assign(desk, preview.job_id, new_id, preview.reassign, preview.about)]
    verb = "move" if preview.moving else "booking"
    return [
        replace(
            _not_sent(preview, f"the {verb}'s answer named no new appointment to assign"),
            operation=ASSIGN,
        )
    ]


def job_facts(job: ServiceJob) -> dict[str, Any]:
    """What the journal keeps of a job an assignment concerned: its store and required skills
    (not PII), so that a refusal can later be read as "does not serve that store"."""
    scope = job.scope_of_work
    return {
        "storeId": job.store_id,
        "requiredSkills": list(scope.required_skills or []) if scope else [],
    }


async def assign(
    desk: Desk,
    job_id: str,
    appointment_id: str,
    ids: tuple[str, ...],
    about: dict[str, Any] | None = None,
) -> WriteResult:
    """One assignAppointmentResources, journalled (the assign flow and a move share it)."""
    request = AssignAppointmentResourcesRequest(
        resources=[AppointmentResource(resource_id=i) for i in ids]
    )
    return await perform(
        desk.journal,
        desk.context(),
        ASSIGN,
        {"serviceJobId": job_id, "appointmentId": appointment_id},
        {"resourceIds": list(ids)},
        lambda: desk.client.assign_appointment_resources(job_id, appointment_id, request),
        about=about,
    )


def _new_appointment_id(result: WriteResult) -> str | None:
    """The appointment a move made: from its answer, or from the read-back after an error."""
    found = getattr(result.answer, "appointment_id", None) or result.created.get("appointmentId")
    return str(found) if found else None


def _not_sent(preview: BookingPreview, why: str) -> WriteResult:
    operation = MOVE if preview.moving else ADD
    return WriteResult(operation, {"serviceJobId": preview.job_id}, "not sent", why)
