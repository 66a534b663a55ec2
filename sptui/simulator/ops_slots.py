"""The two appointment-slot reads: open two-hour windows for a job, or for a product at a store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sptui.spapi.models.base import format_wire_datetime, parse_wire_datetime
from sptui.spapi.params import MAX_SLOT_RANGE, SlotsQuery

from .calls import ApiFault, Call, bad_parameters
from .ops_jobs import find_job
from .registry import Answer, answers
from .rules import DEFAULT_SLOT_RANGE, qualified, windows


def _slot_report(
    start: datetime, end: datetime, found: list[tuple[datetime, datetime, int]]
) -> dict[str, Any]:
    return {
        "payload": {
            "schedulingType": "REAL_TIME_SCHEDULING",
            "startTime": format_wire_datetime(start),
            "endTime": format_wire_datetime(end),
            "appointmentSlots": [
                {
                    "startTime": format_wire_datetime(s),
                    "endTime": format_wire_datetime(e),
                    "capacity": c,
                }
                for s, e, c in found
                if c > 0
            ],
        }
    }


def _window(call: Call, prefix: str) -> tuple[datetime, datetime]:
    """The slot query's window, checked with Amazon's words; ``prefix`` is "Range " for
    getAppointmentSlots, which words the same checks that way."""
    raw = {k: call.scalar(k) for k in ("startTime", "endTime")}
    if raw["startTime"] is None and raw["endTime"] is None:
        now = call.world.clock().replace(microsecond=0)
        return now, now + DEFAULT_SLOT_RANGE
    for name, value in raw.items():
        if value is None:
            raise bad_parameters(name, details="give startTime and endTime together, or neither")
    moments = []
    for name, word in (("startTime", "Start"), ("endTime", "End")):
        try:
            moments.append(parse_wire_datetime(str(raw[name])))
        except ValueError:
            raise ApiFault(
                400, f"{prefix}{word} Time is not a valid ISO date/time object"
            ) from None
    start, end = moments
    if end <= start:
        raise ApiFault(400, f"{prefix}End Time should be after {prefix}Start Time")
    if end - start > MAX_SLOT_RANGE:
        raise ApiFault(400, f"{prefix}End Time should be at most 90 days after {prefix}Start Time")
    return start, end


@answers("getAppointmmentSlotsByJobId")
async def slots_for_job(call: Call) -> Answer:
    call.marketplace()
    start, end = _window(call, "")
    record = find_job(call, "No job exist with jobId : {job_id}")
    found = windows(
        call.world, record, qualified(call.world, record), start, end, record.job.store_id
    )
    return Answer(200, _slot_report(start, end, found))


@answers("getAppointmentSlots")
async def slots_for_product(call: Call) -> Answer:
    marketplace = call.marketplace()
    ids = call.parse(SlotsQuery, {"asin": call.scalar("asin"), "storeId": call.scalar("storeId")})
    start, end = _window(call, "Range ")
    skills: set[str] | None = None
    for record in call.world.jobs.values():
        scope = record.job.scope_of_work
        if scope and scope.asin == ids.asin:
            skills = set(scope.required_skills or [])
            break
    if skills is None:
        raise ApiFault(422, f"No service offered for asin : {ids.asin}")
    techs = [
        t
        for t in call.world.technicians.values()
        if ids.store_id in t.store_ids
        and skills <= t.skills
        and t.registered
        and t.background_checked
        and t.marketplace_id == marketplace
    ]
    found = windows(call.world, None, techs, start, end, ids.store_id)
    return Answer(200, _slot_report(start, end, found))
