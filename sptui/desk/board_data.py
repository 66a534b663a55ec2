"""What the dispatch board reads, for any face: the store's appointments and waiting jobs over a
period, the technicians' capacity (fetched on demand and kept), their skills, a job's open slots.

The board is drawn from the job store alone, so it opens without a call to Amazon; what only
Amazon knows (a technician's scheduled and encumbered capacity, a job's open slots) is asked
afterwards, for what is on screen, paced by the client's usage plans, and kept for the session
(capacity) so that scrolling back asks nothing. After a write, the jobs it touched are read back
and merged into the store, and the board is read again from there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from sptui.spapi import SpApiError
from sptui.spapi.models import CapacityType, FixedSlotCapacityQuery

from .board import UNASSIGNED, Block, Board, Slot, Waiting, build_board
from .desk import Desk
from .flows.guard import read_job
from .reads import MAX_SLOT_DAYS, day_window
from .store import JobStore
from .store.board_rows import board_input, board_people, next_start
from .technicians import Known

CAPACITY_MINUTES = 30
"""The length of the capacity slots the board reads (whole hours and half hours line up)."""
CAPACITY_TYPES = [CapacityType.SCHEDULED_CAPACITY, CapacityType.ENCUMBERED_CAPACITY]


@dataclass(frozen=True)
class Period:
    """The local days a board shows."""

    first: date
    days: int
    zone: tzinfo | None

    def window(self) -> tuple[datetime, datetime]:
        """Local midnight of the first day to local midnight after the last, in UTC."""
        return day_window(self.first, self.days, self.zone)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def day_start(self, day: date) -> datetime:
        return day_window(day, 1, self.zone)[0]

    def shifted(self, days: int) -> Period:
        return Period(self.first + timedelta(days=days), self.days, self.zone)


def opening_day(store: JobStore, now: datetime, zone: tzinfo | None) -> date:
    """Today, in the user's zone; or, when nothing active is left today, the day of the next
    active appointment (within two weeks), so the board opens on work to look at."""
    today = now.astimezone(zone).date()
    upcoming = next_start(store, now)
    if upcoming is None:
        return today
    day = upcoming.astimezone(zone).date()
    return day if today < day <= today + timedelta(days=14) else today


# ---- capacity ---------------------------------------------------------------------------------
class CapacityCache:
    """Each technician's scheduled and encumbered capacity, by local day, as Amazon answered it.

    Kept while the console runs. A write changes what encumbers a technician: ``forget`` those
    it touched; a sync may have changed anyone's: ``forget()`` them all.
    """

    def __init__(self, minutes: int = CAPACITY_MINUTES) -> None:
        self.minutes = minutes
        self._days: dict[tuple[str, datetime], tuple[Slot, ...]] = {}
        self.calls = 0
        """getFixedSlotCapacity calls made (pages included)."""
        self.version = 0
        """Bumped whenever what is kept changes: a board judged at another version is stale."""

    def has(self, resource_id: str, period: Period) -> bool:
        return all((resource_id, period.day_start(d)) in self._days for d in period.dates())

    def missing(self, resource_ids: Iterable[str], period: Period) -> list[str]:
        return [r for r in resource_ids if r != UNASSIGNED and not self.has(r, period)]

    def slots(self, resource_ids: Iterable[str], period: Period) -> dict[str, list[Slot]]:
        """The capacity of those whose every day of ``period`` is in (the others are not judged)."""
        found: dict[str, list[Slot]] = {}
        for rid in resource_ids:
            if rid == UNASSIGNED or not self.has(rid, period):
                continue
            found[rid] = [s for d in period.dates() for s in self._days[(rid, period.day_start(d))]]
        return found

    def forget(self, resource_ids: Iterable[str] | None = None) -> None:
        self.version += 1
        if resource_ids is None:
            self._days.clear()
            return
        gone = set(resource_ids)
        for key in [k for k in self._days if k[0] in gone]:
            del self._days[key]

    async def fetch(self, desk: Desk, resource_id: str, period: Period) -> None:
        """Every page of the technician's capacity over ``period`` (SpApiError as the client
        raises it; nothing is kept then)."""
        start, end = period.window()
        query = FixedSlotCapacityQuery(
            start_date_time=start,
            end_date_time=end,
            slot_duration=self.minutes,
            capacity_types=CAPACITY_TYPES,
        )
        step = timedelta(minutes=self.minutes)
        by_day: dict[datetime, list[Slot]] = {period.day_start(d): [] for d in period.dates()}
        async for page in desk.client.iter_fixed_slot_capacity(resource_id, query):
            self.calls += 1
            for slot in page.capacities or []:
                if slot.start_date_time is None:
                    continue
                start = slot.start_date_time.astimezone(UTC)  # one tzinfo for all, not one each
                day = period.day_start(start.astimezone(period.zone).date())
                if day in by_day:
                    by_day[day].append(
                        Slot(
                            start,
                            start + step,
                            slot.scheduled_capacity or 0,
                            slot.encumbered_capacity or 0,
                        )
                    )
        for day, slots in by_day.items():
            self._days[(resource_id, day)] = tuple(_runs(slots))
        self.version += 1


def _runs(slots: list[Slot]) -> list[Slot]:
    """Adjacent slots alike merged into one: a day of 48 slots is a handful of runs (idle,
    working, an appointment, working, idle), which is all the board judges by, and far fewer
    objects to keep for the session."""
    merged: list[Slot] = []
    for slot in sorted(slots, key=lambda s: s.start):
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.end == slot.start
            and (last.scheduled, last.encumbered) == (slot.scheduled, slot.encumbered)
        ):
            merged[-1] = last._replace(end=slot.end)
        else:
            merged.append(slot)
    return merged


# ---- the board --------------------------------------------------------------------------------
@dataclass
class BoardData:
    period: Period
    board: Board
    lanes: list[str]
    """Lane ids in the order shown: the unassigned first, then technicians by name."""
    names: dict[str, str]
    synced: datetime | None
    """When the last finished sync of the store started; None: never synced."""
    judged: set[str] = field(default_factory=set)
    """Technicians whose capacity is in (the others are not judged on it yet)."""
    skills: dict[str, list[str]] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list, repr=False)
    waiting: list[Waiting] = field(default_factory=list, repr=False)

    def judged_again(self, capacity: CapacityCache) -> BoardData:
        """The same appointments, judged with the capacity fetched since (no store read)."""
        technicians = [lane for lane in self.lanes if lane != UNASSIGNED]
        slots = capacity.slots(technicians, self.period)
        board = build_board(
            self.blocks,
            self.waiting,
            skills=self.skills,
            capacity=slots,
            names=self.names,
            zone=self.period.zone,
        )
        return replace(self, board=board, judged=set(slots))


def read_board(
    store: JobStore,
    period: Period,
    *,
    known: Sequence[Known] = (),
    skills: Mapping[str, Iterable[str]] | None = None,
    stores: dict[str, list[str]] | None = None,
    capacity: CapacityCache | None = None,
) -> BoardData:
    """The board for ``period`` from what the store holds (no call to Amazon).

    ``known`` are the core's known technicians (``Desk.known_technicians``), for their names;
    ``skills`` those judged on skills (``Desk.technician_skills``, as the assign dialog weighs
    them); ``stores`` the stores the config names for each. Lanes are the technicians with an
    appointment in the period, and those known who serve a store the stored jobs are at (or
    were ever assigned on one).
    """
    start, end = period.window()
    blocks, waiting = board_input(store, start, end)
    at_stores, crew = board_people(store)
    names: dict[str, str] = {**crew, **{rid: name for rid, name, _, _ in known}}
    judged = {rid: sorted(has) for rid, has in (skills or {}).items()}
    people = {t for b in blocks for t in b.technicians}
    for rid, _, _, _ in known:
        theirs = set((stores or {}).get(rid, []))
        if rid in crew or not theirs or theirs & at_stores:
            people.add(rid)
    slots = capacity.slots(people, period) if capacity is not None else {}
    board = build_board(
        blocks,
        waiting,
        skills=judged,
        capacity=slots,
        names=names,
        zone=period.zone,
    )
    lanes = [UNASSIGNED, *sorted(people, key=lambda r: ((names.get(r) or r).lower(), r))]
    return BoardData(
        period, board, lanes, names, store.state().synced, set(slots), judged, blocks, waiting
    )


# ---- a job's open slots -----------------------------------------------------------------------
Window = tuple[datetime, datetime]


async def open_windows(desk: Desk, job_id: str, start: datetime, end: datetime) -> list[Window]:
    """The job's open slots in [start, end), from now on (SpApiError as raised)."""
    start = max(start, desk.clock())
    end = min(end, start + timedelta(days=MAX_SLOT_DAYS))
    if end <= start:
        return []
    answer = await desk.client.get_appointment_slots_by_job_id(
        job_id, start_time=start, end_time=end
    )
    report = answer.payload
    return [
        (s.start_time, s.end_time or s.start_time)
        for s in (report.appointment_slots or [] if report else [])
        if s.start_time is not None and s.capacity
    ]


# ---- after a write ----------------------------------------------------------------------------
async def read_back(
    desk: Desk, store: JobStore, job_ids: Iterable[str]
) -> list[tuple[str, SpApiError]]:
    """Read each job again and merge it into the store; the jobs that could not be read."""
    failed: list[tuple[str, SpApiError]] = []
    for job_id in dict.fromkeys(job_ids):
        asked = desk.clock()  # the clock the store's syncs use, so the answer counts as newer
        try:
            job = await read_job(desk, job_id)
        except SpApiError as error:
            failed.append((job_id, error))
            continue
        await asyncio.to_thread(store.upsert, [job], fetched_at=asked)
    return failed
