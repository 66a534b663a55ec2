"""Reading what a dispatcher looks at: jobs by filter or id, open slots, a technician's capacity.

The command line prints these; the console shows them. Both get the same calls, the same
pacing and the same errors (sptui's typed ``SpApiError``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sptui.spapi.models import (
    AppointmentSlot,
    FixedSlotCapacityQuery,
    RangeSlotCapacityQuery,
    ServiceJob,
)

from .capacity import CapacityTable
from .desk import Desk
from .feed import JobFilters
from .flows.guard import read_job

MAX_SLOT_DAYS = 90


async def list_jobs(
    desk: Desk, filters: JobFilters, limit: int | None = 100
) -> AsyncIterator[ServiceJob]:
    """Jobs matching the filters, page by page; ``limit`` None walks them all."""
    query = filters.anchored(desk.clock()).query()
    count = 0
    async for job in desk.client.iter_service_jobs(page_size=20, **query):
        if limit is not None and count >= limit:
            return
        desk.note_job(job)
        count += 1
        yield job


async def read_jobs(desk: Desk, job_ids: Iterable[str]) -> AsyncIterator[ServiceJob]:
    for job_id in job_ids:
        yield await read_job(desk, job_id)


def day_window(first: date, days: int, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """Local midnight of ``first`` to local midnight ``days`` later, in UTC."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(first + timedelta(days=days), datetime.min.time(), tzinfo=zone)
    if zone is None:
        start, end = start.astimezone(), end.astimezone()
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class Slots:
    slots: list[AppointmentSlot]
    request_id: str | None

    def open(self) -> list[AppointmentSlot]:
        return [s for s in self.slots if s.start_time is not None and s.capacity]


def slot_window(desk: Desk, first: date | None, days: int) -> tuple[datetime, datetime]:
    """The UTC span of ``days`` local days from ``first`` (today), never reaching into the past."""
    if not 1 <= days <= MAX_SLOT_DAYS:
        raise ValueError(f"a slot search covers 1 to {MAX_SLOT_DAYS} days")
    now = desk.clock()
    start, end = day_window(first or now.astimezone(desk.zone).date(), days, desk.zone)
    return max(start, now), end


async def job_slots(desk: Desk, job_id: str, first: date | None = None, days: int = 7) -> Slots:
    start, end = slot_window(desk, first, days)
    answer = await desk.client.get_appointment_slots_by_job_id(
        job_id, start_time=start, end_time=end
    )
    return Slots(
        list(answer.payload.appointment_slots or []) if answer.payload else [], answer.request_id
    )


async def service_slots(
    desk: Desk, asin: str, store_id: str, first: date | None = None, days: int = 7
) -> Slots:
    start, end = slot_window(desk, first, days)
    answer = await desk.client.get_appointment_slots(asin, store_id, start_time=start, end_time=end)
    return Slots(
        list(answer.payload.appointment_slots or []) if answer.payload else [], answer.request_id
    )


def slot_minutes_problem(minutes: int) -> str:
    if not 5 <= minutes <= 360 or minutes % 5:
        return "a slot is 5 to 360 minutes, in steps of 5"
    return ""


async def load_capacity(
    desk: Desk,
    resource_id: str,
    first: date,
    days: int,
    minutes: int,
    *,
    ranged: bool = False,
    on_page: Callable[[int], None] | None = None,
) -> CapacityTable:
    """Every page of a technician's capacity, folded onto a days x times-of-day table.

    ``on_page`` hears the count of pages read so far, for a progress line.
    """
    if not 1 <= days <= MAX_SLOT_DAYS:
        raise ValueError(f"capacity covers 1 to {MAX_SLOT_DAYS} days")
    problem = slot_minutes_problem(minutes)
    if problem:
        raise ValueError(problem)
    table = CapacityTable(first, days, minutes, desk.zone)
    start, end = table.window()
    pages = 0
    if ranged:
        query = RangeSlotCapacityQuery(start_date_time=start, end_date_time=end)
        async for rpage in desk.client.iter_range_slot_capacity(resource_id, query):
            table.add_range(rpage)
            pages += 1
            if on_page:
                on_page(pages)
        table.empty_cells()
    else:
        fixed = FixedSlotCapacityQuery(
            start_date_time=start, end_date_time=end, slot_duration=minutes
        )
        async for page in desk.client.iter_fixed_slot_capacity(resource_id, fixed):
            table.add_fixed(page)
            pages += 1
            if on_page:
                on_page(pages)
    return table
