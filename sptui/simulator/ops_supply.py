"""The supply side: capacity (range and fixed slots), schedules and reservations."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from sptui.spapi.models import (
    AvailabilityRecord,
    CapacityType,
    CreateReservationRequest,
    FixedSlotCapacityQuery,
    RangeSlotCapacityQuery,
    Reservation,
    UpdateReservationRequest,
    UpdateScheduleRequest,
)
from sptui.spapi.models.base import format_wire_datetime, parse_wire_datetime

from .calls import ApiFault, Call, bad_parameters
from .capacity import profile
from .registry import Answer, answers

_ALL_TYPES = [
    CapacityType.SCHEDULED_CAPACITY,
    CapacityType.AVAILABLE_CAPACITY,
    CapacityType.ENCUMBERED_CAPACITY,
    CapacityType.RESERVED_CAPACITY,
]


def _page(call: Call, start: datetime, end: datetime) -> tuple[datetime, datetime, str | None]:
    """The part of [start, end) this page covers, and the token of the next page."""
    token = call.scalar("nextPageToken")
    if token:
        try:
            start = parse_wire_datetime(base64.b64decode(token).decode())
        except ValueError:
            raise bad_parameters("nextPageToken") from None
        if not start < end:
            raise bad_parameters("nextPageToken")
    stop = min(end, start + timedelta(days=call.settings.get("page_days", 7)))
    following = None
    if stop < end:
        following = base64.b64encode(format_wire_datetime(stop).encode()).decode()
    return start, stop, following


def _query(call: Call, model: type[Any]) -> Any:
    """The capacity query, checked in the order and words of Amazon's sandbox cases (each 400
    is folded into one "This is invalid input" entry: see refusals.worded)."""
    call.marketplace()
    if call.path["resourceId"] not in call.world.technicians:
        raise bad_parameters("resourceId", details="not a known resource")
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("startDateTime") is None or body.get("endDateTime") is None:
        raise ApiFault(400, "startDateTime or endDateTime are not present")
    for name in ("startDateTime", "endDateTime"):
        try:
            parse_wire_datetime(str(body[name]))
        except ValueError:
            raise ApiFault(400, f"{name} is not a valid ISO date/time object") from None
    duration = body.get("slotDuration")
    if model is FixedSlotCapacityQuery and duration is not None and not _slot_duration_ok(duration):
        raise ApiFault(
            400,
            "Slot duration is not valid, it should be a multiple of 5 and within allowed range.",
        )
    query = call.parse(model, body)
    if query.end_date_time <= query.start_date_time:
        raise ApiFault(400, "endDateTime should be after Start Time")
    return query


def _slot_duration_ok(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and value == int(value)
        and 5 <= value <= 360
        and value % 5 == 0
    )


@answers("getRangeSlotCapacity")
async def range_capacity(call: Call) -> Answer:
    query = _query(call, RangeSlotCapacityQuery)
    start, stop, following = _page(call, query.start_date_time, query.end_date_time)
    shape = profile(call.world, call.path["resourceId"], start, stop)
    answer: dict[str, Any] = {
        "resourceId": call.path["resourceId"],
        "capacities": [
            {
                "capacityType": kind.value,
                "slots": [
                    {
                        "startDateTime": format_wire_datetime(s),
                        "endDateTime": format_wire_datetime(e),
                        "capacity": c,
                    }
                    for s, e, c in shape.segments(kind, start, stop)
                ],
            }
            for kind in (query.capacity_types or _ALL_TYPES)
        ],
    }
    if following:
        answer["nextPageToken"] = following
    return Answer(200, answer)


@answers("getFixedSlotCapacity")
async def fixed_capacity(call: Call) -> Answer:
    query = _query(call, FixedSlotCapacityQuery)
    minutes = int(query.slot_duration or 30)
    start, stop, following = _page(call, query.start_date_time, query.end_date_time)
    shape = profile(call.world, call.path["resourceId"], start, stop)
    kinds = set(query.capacity_types or _ALL_TYPES)
    step = timedelta(minutes=minutes)
    slots = []
    moment = start
    while moment + step <= stop:
        slot: dict[str, Any] = {"startDateTime": format_wire_datetime(moment)}
        for kind, key, worst in (
            (CapacityType.SCHEDULED_CAPACITY, "scheduledCapacity", shape.lowest),
            (CapacityType.AVAILABLE_CAPACITY, "availableCapacity", shape.lowest),
            (CapacityType.ENCUMBERED_CAPACITY, "encumberedCapacity", shape.highest),
            (CapacityType.RESERVED_CAPACITY, "reservedCapacity", shape.highest),
        ):
            if kind in kinds:
                slot[key] = worst(kind, moment, moment + step)
        slots.append(slot)
        moment += step
    answer: dict[str, Any] = {
        "resourceId": call.path["resourceId"],
        "slotDuration": minutes,
        "capacities": slots,
    }
    if following:
        answer["nextPageToken"] = following
    return Answer(200, answer)


def _record_problem(record: AvailabilityRecord) -> str | None:
    if record.start_time and record.end_time and record.end_time <= record.start_time:
        return "endTime must be after startTime"
    recurrence = record.recurrence
    if (
        recurrence
        and recurrence.end_time
        and record.start_time
        and recurrence.end_time < record.start_time
    ):
        return "recurrence endTime must not be before startTime"
    if recurrence and recurrence.days_of_week and recurrence.days_of_month:
        return "give daysOfWeek or daysOfMonth, not both"
    return None


@answers("updateSchedule")
async def update_schedule(call: Call) -> Answer:
    resource_id = call.path["resourceId"]
    call.marketplace()
    body = call.body if isinstance(call.body, dict) else {}
    if not body.get("schedules"):
        raise bad_parameters("schedule")
    request = call.parse(UpdateScheduleRequest, body)
    if resource_id not in call.world.technicians:
        return Answer(
            200,
            {
                "errors": [
                    {"message": "Invalid request parameters: [resourceId]", "code": "InvalidInput"}
                ]
            },
        )
    results: list[dict[str, Any]] = []
    accepted: list[AvailabilityRecord] = []
    for record in request.schedules or []:
        problem = _record_problem(record)
        entry: dict[str, Any] = {"availability": record.to_wire()}
        if problem:
            entry["errors"] = [{"code": "InvalidInput", "message": problem}]
        else:
            accepted.append(record)
        results.append(entry)
    if accepted:
        call.world.schedules[resource_id] = accepted
        call.world.touch()
    return Answer(200, {"payload": results})


def _availability_problem(reservation: Reservation) -> str | None:
    window = reservation.availability
    if window is None or window.start_time is None or window.end_time is None:
        return "availability with startTime and endTime is required"
    if window.end_time <= window.start_time:
        return "availability endTime must be after startTime"
    return None


def _refusal(resource_id: str, reservation: Reservation, call: Call) -> Answer | None:
    """Amazon refuses these with a 200 that carries errors, not with a 4xx."""
    if resource_id not in call.world.technicians:
        return Answer(
            200,
            {
                "errors": [
                    {"message": "Invalid request parameters: [resourceId]", "code": "InvalidInput"}
                ]
            },
        )
    problem = _availability_problem(reservation)
    if problem:
        errors = [{"code": "InvalidInput", "message": problem}]
        return Answer(200, {"payload": {"reservation": reservation.to_wire(), "errors": errors}})
    return None


def _reservation_body(call: Call, model: type[Any]) -> Any:
    body = call.body if isinstance(call.body, dict) else {}
    if not body.get("resourceId") or body.get("resourceId") == "null":
        raise bad_parameters("resourceId")
    if not body.get("reservation"):
        raise bad_parameters("reservation")
    return call.parse(model, body)


@answers("createReservation")
async def create_reservation(call: Call) -> Answer:
    call.marketplace()
    request = _reservation_body(call, CreateReservationRequest)
    refused = _refusal(str(request.resource_id), request.reservation, call)
    if refused is not None:
        return refused
    reservation = request.reservation.model_copy(
        update={"reservation_id": call.world.next_id("RES")}
    )
    call.world.reservations[str(reservation.reservation_id)] = (
        str(request.resource_id),
        reservation,
    )
    call.world.touch()
    return Answer(200, {"payload": {"reservation": reservation.to_wire()}})


@answers("updateReservation")
async def update_reservation(call: Call) -> Answer:
    call.marketplace()
    reservation_id = call.path["reservationId"]
    if reservation_id not in call.world.reservations:
        raise ApiFault(
            404, f"Could not find reservation with ID: [{reservation_id}]", code="InvalidInput"
        )
    request = _reservation_body(call, UpdateReservationRequest)
    refused = _refusal(str(request.resource_id), request.reservation, call)
    if refused is not None:
        return refused
    reservation = request.reservation.model_copy(update={"reservation_id": reservation_id})
    call.world.reservations[reservation_id] = (str(request.resource_id), reservation)
    call.world.touch()
    return Answer(200, {"payload": {"reservation": reservation.to_wire()}})


@answers("cancelReservation")
async def cancel_reservation(call: Call) -> Answer:
    call.marketplace()
    reservation_id = call.path["reservationId"]
    if call.world.reservations.pop(reservation_id, None) is None:
        raise ApiFault(404, "Reservation does not exist")
    call.world.touch()
    return Answer(204, None)
