"""A technician's schedule and reservations: the writes, and what they answer.

Amazon can write these but not read them back; the journal keeps what was sent (and the ids
made), which is how both faces find them again (``journal_memory``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from sptui.spapi import RequestValidationError
from sptui.spapi.models import (
    AvailabilityRecord,
    CreateReservationRequest,
    Reservation,
    UpdateReservationRequest,
    UpdateScheduleRequest,
    UpdateScheduleResponse,
)
from sptui.spapi.models.base import WireModel
from sptui.spapi.params import check_path, problems_of, validated

from ..availability import record_problems
from ..desk import Desk
from ..text import clean
from ..writes import WriteResult, perform


@dataclass(frozen=True)
class RecordAnswer:
    status: str
    """accepted, warning or refused."""
    said: str
    """Amazon's codes and messages for this record."""


def schedule_records(data: Any) -> list[AvailabilityRecord]:
    """Amazon's JSON for a schedule: a list of ``AvailabilityRecord`` objects, or the
    ``{"schedules": [...]}`` body of updateSchedule. ValueError lists what is wrong, by record
    (numbered from 1), checked against the model as a request is; never echoes the values."""
    if isinstance(data, dict) and set(data) == {"schedules"}:
        data = data["schedules"]
    if not isinstance(data, list):
        raise ValueError('give a JSON list of availability records, or {"schedules": [...]}')
    try:
        request = UpdateScheduleRequest.model_validate({"schedules": data})
    except ValidationError as error:
        raise ValueError("; ".join(_numbered(f, p) for f, p in problems_of(error))) from None
    return list(request.schedules or [])


def _numbered(field: str, problem: str) -> str:
    """``schedules.1.endTime`` → ``record 2 endTime`` (people count from one)."""
    parts = field.split(".")
    if len(parts) >= 2 and parts[0] == "schedules" and parts[1].isdigit():
        where = " ".join([f"record {int(parts[1]) + 1}", ".".join(parts[2:])]).strip()
        return f"{where}: {problem}"
    return f"{field}: {problem}" if field else problem


def schedule_problems(
    resource_id: str, records: Sequence[AvailabilityRecord], now: datetime
) -> list[str]:
    """Every reason updateSchedule would be refused that can be known before sending it."""
    if not records:
        return ["a schedule needs at least one availability record (Amazon refuses an empty one)"]
    problems = _request_problems(
        "updateSchedule",
        UpdateScheduleRequest,
        {"schedules": [r.to_wire() for r in records]},
        resourceId=resource_id,
    )
    for number, record in enumerate(records, 1):
        problems += [f"record {number}: {p}" for p in record_problems(record, now)]
    return problems


def reservation_problems(
    resource_id: str,
    reservation: Reservation,
    now: datetime,
    reservation_id: str | None = None,
) -> list[str]:
    """Every reason createReservation (updateReservation, with an id) would be refused that can
    be known before sending it."""
    body = {"resourceId": resource_id, "reservation": reservation.to_wire()}
    if reservation_id is None:
        problems = _request_problems("createReservation", CreateReservationRequest, body)
    else:
        problems = _request_problems(
            "updateReservation", UpdateReservationRequest, body, reservationId=reservation_id
        )
    if reservation.availability is not None:
        problems += record_problems(reservation.availability, now)
    return problems


def _request_problems(
    operation: str, model: type[WireModel], body: dict[str, Any], **path: str
) -> list[str]:
    """The model's objections to a request, as Amazon's field names and plain words."""
    try:
        if path:
            check_path(operation, **path)
        validated(operation, model, body)
    except RequestValidationError as error:
        return [f"{field}: {problem}" if field else problem for field, problem in error.problems]
    return []


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
    return result, record_answers(result)


def record_answers(result: WriteResult) -> list[RecordAnswer]:
    """What Amazon said of each record of an updateSchedule (a 200 can refuse some)."""
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
    return answers


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
