"""Business rules shared by several operations: reason codes, appointment windows, slots."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sptui.spapi.models import CapacityType
from sptui.spapi.models.base import parse_wire_datetime
from sptui.spapi.reasons import model_reason_codes

from .calls import ApiFault
from .capacity import profile
from .seed import SLOT_HOURS
from .world import JobRecord, Technician, World

WINDOW = timedelta(hours=2)
MAX_AHEAD = timedelta(days=365)
MAX_SLOT_RANGE = timedelta(days=90)
DEFAULT_SLOT_RANGE = timedelta(days=7)


def reason_codes(kind: str, settings: dict[str, Any]) -> frozenset[str]:
    extra = settings.get(f"{kind}_reason_codes", ())
    return model_reason_codes()[kind] | frozenset(extra)


def appointment_start(raw: Any) -> datetime:
    """Amazon's checks on an appointment start time, with Amazon's words."""
    if not isinstance(raw, str):
        raise ApiFault(400, "Missing or invalid request parameters: [appointmentTime.startTime]")
    try:
        start = parse_wire_datetime(raw)
    except ValueError:
        raise ApiFault(422, f"Failed to parse ISO8601 input: {raw}") from None
    if start.utcoffset() != timedelta(0):
        raise ApiFault(422, f"ISO8601 time {raw} is not in UTC.")
    return start


def qualified(world: World, record: JobRecord) -> list[Technician]:
    job = record.job
    skills = set(job.scope_of_work.required_skills or []) if job.scope_of_work else set()
    return [
        t
        for t in world.technicians.values()
        if job.store_id in t.store_ids
        and skills <= t.skills
        and t.registered
        and t.background_checked
        and t.marketplace_id == job.marketplace_id
    ]


def _unassigned_load(
    world: World, store: str | None, start: datetime, end: datetime, skip: str
) -> int:
    """Booked but unassigned appointments at the store that overlap [start, end)."""
    load = 0
    for record in world.jobs.values():
        if record.job_id == skip or record.job.store_id != store:
            continue
        active = record.active()
        if not active or active.assigned_technicians or not active.appointment_time:
            continue
        begin = active.appointment_time.start_time
        if begin and begin < end and begin + WINDOW > start:
            load += 1
    return load


def windows(
    world: World,
    record: JobRecord | None,
    techs: list[Technician],
    start: datetime,
    end: datetime,
    store: str | None,
) -> list[tuple[datetime, datetime, int]]:
    """Two-hour windows in [start, end) with how many qualified technicians are free."""
    out = []
    now = world.clock()
    profiles = {t.resource_id: profile(world, t.resource_id, start, end + WINDOW) for t in techs}
    day = datetime.combine(start.date(), time(0), tzinfo=start.tzinfo)
    while day < end:
        for hour in SLOT_HOURS:
            begin = day.replace(hour=hour)
            finish = begin + WINDOW
            if begin < start or begin <= now or finish > end:  # only bookable ones: in the future
                continue
            free = sum(
                1
                for p in profiles.values()
                if p.lowest(CapacityType.AVAILABLE_CAPACITY, begin, finish) > 0
            )
            skip = record.job_id if record else ""
            free -= _unassigned_load(world, store, begin, finish, skip)
            out.append((begin, finish, max(0, free)))
        day += timedelta(days=1)
    return out


def check_bookable(
    world: World, record: JobRecord, start: datetime, minutes: int, verb: str = "add"
) -> None:
    job_id = record.job_id
    now = world.clock()
    prefix = f"Failed to add appointment for jobId : {job_id}, reason :"
    if start <= now:
        raise ApiFault(422, f"{prefix} Start time of appointment should be in the future.")
    if start - now > MAX_AHEAD:
        raise ApiFault(
            422,
            f"{prefix} Start time for appointment is beyond the maximum allowed period of 365 days.",
        )
    finish = start + timedelta(minutes=minutes)
    for begin, end, free in windows(
        world, record, qualified(world, record), start, start + WINDOW, record.job.store_id
    ):
        if begin == start and finish <= end and free > 0:
            return
    raise ApiFault(422, f"{prefix} Appointment slot is not available.")


def job_is_open_for(record: JobRecord) -> None:
    from .world import OPEN

    if record.status not in OPEN:
        raise ApiFault(
            422,
            f"Operation not allowed on job with jobId : {record.job_id} and jobState : {record.status.value}",
        )
