"""A technician's schedule and reservations: the writes, and what they answer.

Amazon can write these but not read them back; the journal keeps what was sent (and the ids
made), which is how both faces find them again (``journal_memory``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sptui.spapi.models import (
    AvailabilityRecord,
    CreateReservationRequest,
    Reservation,
    UpdateReservationRequest,
    UpdateScheduleRequest,
    UpdateScheduleResponse,
)

from ..desk import Desk
from ..text import clean
from ..writes import WriteResult, perform


@dataclass(frozen=True)
class RecordAnswer:
    status: str
    """accepted, warning or refused."""
    said: str
    """Amazon's codes and messages for this record."""


async def set_schedule(
    desk: Desk, resource_id: str, records: list[AvailabilityRecord]
) -> tuple[WriteResult, list[RecordAnswer]]:
    """updateSchedule: replaces the whole schedule. Returns Amazon's answer per record."""
    request = UpdateScheduleRequest(schedules=list(records))
    result = await perform(
        desk.journal,
        desk.context(),
        "updateSchedule",
        {"resourceId": resource_id},
        request.to_wire(),
        lambda: desk.client.update_schedule(resource_id, request),
    )
    answer = result.answer if isinstance(result.answer, UpdateScheduleResponse) else None
    answers = []
    for entry in (answer.payload or []) if answer else []:
        errors, warnings = entry.errors or [], entry.warnings or []
        said = "; ".join(
            f"{clean(getattr(m, 'code', ''))}: {clean(getattr(m, 'message', ''))}"
            for m in [*errors, *warnings]
        )
        status = "refused" if errors else "warning" if warnings else "accepted"
        answers.append(RecordAnswer(status, said))
    return result, answers


async def save_reservation(
    desk: Desk, resource_id: str, reservation: Reservation, reservation_id: str | None = None
) -> WriteResult:
    """createReservation, or updateReservation when ``reservation_id`` is given."""
    client = desk.client
    if reservation_id:
        rid = reservation_id
        update = UpdateReservationRequest(resource_id=resource_id, reservation=reservation)
        return await perform(
            desk.journal,
            desk.context(),
            "updateReservation",
            {"reservationId": rid},
            update.to_wire(),
            lambda: client.update_reservation(rid, update),
        )
    create = CreateReservationRequest(resource_id=resource_id, reservation=reservation)
    return await perform(
        desk.journal,
        desk.context(),
        "createReservation",
        {"resourceId": resource_id},
        create.to_wire(),
        lambda: client.create_reservation(create),
        created=lambda answer: (
            {"reservationId": str(answer.payload.reservation.reservation_id)}
            if answer.payload and answer.payload.reservation
            else {}
        ),
    )


async def cancel_reservation(desk: Desk, reservation_id: str) -> WriteResult:
    return await perform(
        desk.journal,
        desk.context(),
        "cancelReservation",
        {"reservationId": reservation_id},
        {},
        lambda: desk.client.cancel_reservation(reservation_id),
    )
