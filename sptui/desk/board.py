"""The dispatch board's content: who goes where and when, what is unplanned, and what clashes.

UI-free: the console draws it, tests check it against the simulator's own view. Built from what
the job store holds (appointments, their technicians, the jobs' skills and preferred windows) and,
when fetched, the technicians' scheduled and encumbered capacity.

Conflicts, each with the reason a dispatcher reads under the board:
- ``overlap``: one technician holds two appointments at once;
- ``unscheduled``: an appointment outside the technician's scheduled capacity;
- ``overbooked``: more appointments at once than the technician's capacity allows (counting
  the appointments on the board and those Amazon reports as encumbering the technician, which
  can hold some the store has not seen yet);
- ``skill``: the technician lacks a skill the job requires (when their skills are known);
- ``preference``: an appointment outside every window the buyer preferred.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

Window = tuple[datetime, datetime]
UNASSIGNED = ""
"""The lane of active appointments no technician holds."""


@dataclass(frozen=True, slots=True)
class Block:
    job_id: str
    appointment_id: str
    start: datetime
    end: datetime
    technicians: tuple[str, ...]
    title: str = ""
    city: str = ""
    skills: tuple[str, ...] = ()
    preferred: tuple[Window, ...] = ()

    def overlaps(self, other: Block) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Waiting:
    """A job that still needs an appointment (no active one, not closed)."""

    job_id: str
    created: datetime | None
    title: str = ""
    city: str = ""
    preferred: tuple[Window, ...] = ()
    status: str = ""
    """The job's status (PENDING_SCHEDULE, HOLD, ...): not every waiting job can be booked."""


class Slot(NamedTuple):
    """A stretch of a technician's fixed capacity: one slot, or a run of slots alike."""

    start: datetime
    end: datetime
    scheduled: int
    encumbered: int


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str
    job_id: str
    appointment_id: str
    technician: str | None
    reason: str


@dataclass
class Board:
    lanes: dict[str, list[Block]] = field(default_factory=dict)
    """Technician id (or UNASSIGNED) -> their blocks, by start."""
    queue: list[Waiting] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def conflicts_of(self, block: Block) -> list[Conflict]:
        return [
            c
            for c in self.conflicts
            if c.job_id == block.job_id and c.appointment_id == block.appointment_id
        ]

    def flagged(self) -> set[tuple[str, str]]:
        """(job id, appointment id) of every block with a conflict."""
        return {(c.job_id, c.appointment_id) for c in self.conflicts}


def build_board(
    blocks: Iterable[Block],
    queue: Iterable[Waiting],
    *,
    skills: Mapping[str, Sequence[str]] | None = None,
    capacity: Mapping[str, Sequence[Slot]] | None = None,
    names: Mapping[str, str] | None = None,
    zone: tzinfo | None = UTC,
) -> Board:
    """Lanes, the queue (oldest first) and every conflict found.

    ``skills`` holds the skills known of each technician (a technician absent from it is not
    judged on skills); ``capacity`` the capacity fetched for a technician (absent: not judged
    on it); ``names`` and ``zone`` (None: this machine's) only word the reasons.
    """
    names = names or {}
    board = Board(queue=sorted(queue, key=_age))
    for block in blocks:
        for technician in block.technicians or (UNASSIGNED,):
            board.lanes.setdefault(technician, []).append(block)
    for lane in board.lanes.values():
        lane.sort(key=lambda b: (b.start, b.job_id))

    def who(technician: str) -> str:
        return names.get(technician, technician)

    for technician, lane in board.lanes.items():
        if technician == UNASSIGNED:
            continue
        board.conflicts += _overlaps(technician, lane, who(technician), zone)
        if skills is not None and technician in skills:
            board.conflicts += _skills(technician, lane, set(skills[technician]), who(technician))
        if capacity is not None and technician in capacity:
            board.conflicts += _capacity(
                technician, lane, capacity[technician], who(technician), zone
            )
    seen: set[tuple[str, str]] = set()
    for lane in board.lanes.values():
        for block in lane:
            if (block.job_id, block.appointment_id) in seen:
                continue
            seen.add((block.job_id, block.appointment_id))
            board.conflicts += _preference(block)
    return board


def _age(waiting: Waiting) -> tuple[bool, float, str]:
    """Oldest first; a job of unknown age last."""
    created = waiting.created
    return created is None, created.timestamp() if created else 0.0, waiting.job_id


def _hhmm(moment: datetime, zone: tzinfo | None) -> str:
    return f"{moment.astimezone(zone):%H:%M}"


def _overlaps(
    technician: str, lane: Sequence[Block], name: str, zone: tzinfo | None
) -> list[Conflict]:
    found = []
    for index, block in enumerate(lane):
        for other in lane[:index]:
            if block.overlaps(other):
                for one, two in ((block, other), (other, block)):
                    found.append(
                        Conflict(
                            "overlap",
                            one.job_id,
                            one.appointment_id,
                            technician,
                            f"{name} is also at job {two.job_id} "
                            f"{_hhmm(two.start, zone)}-{_hhmm(two.end, zone)}",
                        )
                    )
    return found


def _skills(technician: str, lane: Sequence[Block], has: set[str], name: str) -> list[Conflict]:
    found = []
    for block in lane:
        lacking = [s for s in block.skills if s not in has]
        if lacking:
            found.append(
                Conflict(
                    "skill",
                    block.job_id,
                    block.appointment_id,
                    technician,
                    f"{name} lacks {', '.join(lacking)}",
                )
            )
    return found


def _capacity(
    technician: str, lane: Sequence[Block], slots: Sequence[Slot], name: str, zone: tzinfo | None
) -> list[Conflict]:
    """Outside the schedule: a slot under the block schedules nobody (or none is under it).
    Overbooked: at some moment of the block, more appointments hold the technician than the
    slot schedules, counting the lane's and Amazon's encumbered figure, whichever is higher.
    Slots may be of any length (runs of equal values), so load is counted at moments."""
    found = []
    ordered = sorted(slots, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    longest = max((s.end - s.start for s in ordered), default=None)

    def covering(start: datetime, end: datetime) -> list[Slot]:
        if longest is None:
            return []
        first = bisect_left(starts, start - longest)
        last = bisect_left(starts, end)
        return [s for s in ordered[first:last] if s.end > start]

    inside: list[Block] = []
    for block in lane:
        under = covering(block.start, block.end)
        if not under or any(s.scheduled <= 0 for s in under):
            found.append(
                Conflict(
                    "unscheduled",
                    block.job_id,
                    block.appointment_id,
                    technician,
                    f"outside {name}'s scheduled hours",
                )
            )
            continue
        inside.append(block)
    for block in inside:
        under = covering(block.start, block.end)
        moments = sorted(
            {block.start}
            | {s.start for s in under if block.start < s.start}
            | {o.start for o in inside if block.start < o.start < block.end}
        )
        for moment in moments:
            slot = next(s for s in under if s.start <= moment < s.end)
            load = sum(1 for o in inside if o.start <= moment < o.end)
            held = max(load, slot.encumbered)
            if held > slot.scheduled:
                found.append(
                    Conflict(
                        "overbooked",
                        block.job_id,
                        block.appointment_id,
                        technician,
                        f"{name} has {held} appointments at {_hhmm(moment, zone)}, "
                        f"capacity {slot.scheduled}",
                    )
                )
                break
    return found


def _preference(block: Block) -> list[Conflict]:
    if not block.preferred:
        return []
    if any(start <= block.start and block.end <= end for start, end in block.preferred):
        return []
    return [
        Conflict(
            "preference",
            block.job_id,
            block.appointment_id,
            None,
            "outside every time the buyer preferred",
        )
    ]
