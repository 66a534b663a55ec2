"""The simulator's dispatch-board conflicts, asked of its world directly (not of sptui's board).

Used by the board's console tests (the board must flag exactly these) and the demo world's
tests (it must hold a few of each kind, and mostly none).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sptui.simulator import DEMO_MARKETPLACE, World
from sptui.simulator.capacity import profile
from sptui.spapi.models import AppointmentStatus, CapacityType

Appt = tuple[str, str, datetime, datetime, tuple[str, ...]]


def world_appointments(world: World, start: datetime, end: datetime) -> list[Appt]:
    found = []
    for record in world.jobs.values():
        if record.job.marketplace_id != DEMO_MARKETPLACE:
            continue
        active = record.active()
        if active is None or active.appointment_status != AppointmentStatus.ACTIVE:
            continue
        time = active.appointment_time
        assert time is not None and time.start_time is not None
        begins = time.start_time
        ends = begins + timedelta(minutes=time.duration_in_minutes or 0)
        if begins < end and ends > start:
            crew = tuple(t.technician_id or "" for t in active.assigned_technicians or [])
            found.append((record.job_id, str(active.appointment_id), begins, ends, crew))
    return found


def world_conflicts(world: World, start: datetime, end: datetime) -> set[tuple[str, str]]:
    """(kind, job id) of every conflict in the world's appointments over [start, end)."""
    shown = world_appointments(world, start, end)
    everyone = world_appointments(world, start - timedelta(days=1), end + timedelta(days=1))
    found: set[tuple[str, str]] = set()
    for job_id, _, begins, ends, crew in shown:
        record = world.jobs[job_id]
        scope = record.job.scope_of_work
        needs = set(scope.required_skills or []) if scope else set()
        for tech in crew:
            theirs = [a for a in everyone if tech in a[4]]
            if any(o[0] != job_id and o[2] < ends and begins < o[3] for o in theirs):
                found.add(("overlap", job_id))
            if not needs <= world.technicians[tech].skills:
                found.add(("skill", job_id))
            shape = profile(world, tech, begins - timedelta(days=1), ends + timedelta(days=1))
            if shape.lowest(CapacityType.SCHEDULED_CAPACITY, begins, ends) <= 0:
                found.add(("unscheduled", job_id))
                continue
            moments = {begins, *(o[2] for o in theirs if begins < o[2] < ends)}
            for moment in moments:
                at_once = sum(1 for o in theirs if o[2] <= moment < o[3])
                if at_once > shape.at(CapacityType.SCHEDULED_CAPACITY, moment):
                    found.add(("overbooked", job_id))
        preferred = record.job.preferred_appointment_times or []
        if preferred and not any(
            p.start_time is not None
            and p.start_time <= begins
            and ends <= p.start_time + timedelta(minutes=p.duration_in_minutes or 0)
            for p in preferred
        ):
            found.add(("preference", job_id))
    return found
