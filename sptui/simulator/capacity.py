"""Capacity as it follows from schedules, reservations and appointments.

Every capacity figure is a step function of time: the sum of the capacities of the intervals
covering that instant. Scheduled capacity comes from a resource's availability records (expanded
by their recurrence), reserved from its reservations, encumbered from the active appointments it
is assigned to; available is scheduled less the other two, never below zero.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sptui.spapi.models import AvailabilityRecord, CapacityType

from .world import World

Interval = tuple[datetime, datetime, int]
_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


def expand(record: AvailabilityRecord, start: datetime, end: datetime) -> Iterator[Interval]:
    """The intervals one availability record covers inside [start, end)."""
    if record.start_time is None or record.end_time is None:
        return
    capacity = record.capacity or 1
    first_start, first_end = record.start_time, record.end_time
    recurrence = record.recurrence
    if recurrence is None or recurrence.end_time is None:
        if first_start < end and first_end > start:
            yield first_start, first_end, capacity
        return
    length = first_end - first_start
    weekdays = {str(d.value) for d in recurrence.days_of_week or []}
    monthdays = set(recurrence.days_of_month or [])
    day = max(first_start, start - length - timedelta(days=1))
    day = first_start + timedelta(days=(day - first_start).days)
    stop = min(end, recurrence.end_time)
    while day < stop:
        chosen = (not weekdays and not monthdays) or (
            _DAYS[day.weekday()] in weekdays or day.day in monthdays
        )
        if chosen and day + length > start:
            yield day, day + length, capacity
        day += timedelta(days=1)


def _reserved(world: World, resource_id: str, start: datetime, end: datetime) -> Iterator[Interval]:
    for owner, reservation in world.reservations.values():
        if owner != resource_id or reservation.availability is None:
            continue
        yield from expand(reservation.availability, start, end)


def _encumbered(
    world: World, resource_id: str, start: datetime, end: datetime
) -> Iterator[Interval]:
    for record in world.jobs.values():
        appointment = record.active()
        if appointment is None or appointment.appointment_time is None:
            continue
        if resource_id not in {t.technician_id for t in appointment.assigned_technicians or []}:
            continue
        begin = appointment.appointment_time.start_time
        if begin is None:
            continue
        finish = begin + timedelta(minutes=appointment.appointment_time.duration_in_minutes or 60)
        if begin < end and finish > start:
            yield begin, finish, 1


@dataclass(frozen=True)
class Profile:
    """The four capacity step functions of one resource over a window."""

    scheduled: list[Interval]
    reserved: list[Interval]
    encumbered: list[Interval]

    def at(self, kind: CapacityType, moment: datetime) -> int:
        def total(intervals: Iterable[Interval]) -> int:
            return sum(c for s, e, c in intervals if s <= moment < e)

        scheduled = total(self.scheduled)
        if kind == CapacityType.SCHEDULED_CAPACITY:
            return scheduled
        reserved, encumbered = total(self.reserved), total(self.encumbered)
        if kind == CapacityType.RESERVED_CAPACITY:
            return reserved
        if kind == CapacityType.ENCUMBERED_CAPACITY:
            return encumbered
        return max(0, scheduled - reserved - encumbered)

    def breakpoints(self, start: datetime, end: datetime) -> list[datetime]:
        points = {start, end}
        for s, e, _ in self.scheduled + self.reserved + self.encumbered:
            points.update(p for p in (s, e) if start < p < end)
        return sorted(points)

    def segments(self, kind: CapacityType, start: datetime, end: datetime) -> list[Interval]:
        """Maximal runs of constant, non-zero capacity."""
        out: list[Interval] = []
        points = self.breakpoints(start, end)
        for left, right in itertools.pairwise(points):
            value = self.at(kind, left)
            if not value:
                continue
            if out and out[-1][1] == left and out[-1][2] == value:
                out[-1] = (out[-1][0], right, value)
            else:
                out.append((left, right, value))
        return out

    def lowest(self, kind: CapacityType, start: datetime, end: datetime) -> int:
        """The capacity available for the whole of [start, end)."""
        return min(self.at(kind, p) for p in self.breakpoints(start, end)[:-1])

    def highest(self, kind: CapacityType, start: datetime, end: datetime) -> int:
        return max(self.at(kind, p) for p in self.breakpoints(start, end)[:-1])


def profile(world: World, resource_id: str, start: datetime, end: datetime) -> Profile:
    scheduled = [
        interval
        for record in world.schedules.get(resource_id, [])
        for interval in expand(record, start, end)
    ]
    return Profile(
        scheduled,
        list(_reserved(world, resource_id, start, end)),
        list(_encumbered(world, resource_id, start, end)),
    )
