"""A technician's capacity as a calendar: local days across, times of day down.

Built from getFixedSlotCapacity pages (each slot's four numbers) or from getRangeSlotCapacity
pages (segments per capacity type, folded onto buckets of the same length: the lowest scheduled or
available capacity within a bucket, the highest encumbered or reserved, which is how a fixed slot
reports them too). Headless, so the numbers can be checked without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from sptui.spapi.models import CapacityType, FixedSlotCapacity, RangeSlotCapacity

TYPES = (
    CapacityType.AVAILABLE_CAPACITY,
    CapacityType.SCHEDULED_CAPACITY,
    CapacityType.ENCUMBERED_CAPACITY,
    CapacityType.RESERVED_CAPACITY,
)
LABELS = {
    CapacityType.SCHEDULED_CAPACITY: "scheduled",
    CapacityType.AVAILABLE_CAPACITY: "available",
    CapacityType.ENCUMBERED_CAPACITY: "encumbered",
    CapacityType.RESERVED_CAPACITY: "reserved",
}
_LOWEST = {CapacityType.SCHEDULED_CAPACITY, CapacityType.AVAILABLE_CAPACITY}

Segment = tuple[datetime, datetime, int]


@dataclass
class Cell:
    start: datetime
    """UTC."""
    end: datetime
    values: dict[CapacityType, int] = field(default_factory=dict)
    segments: dict[CapacityType, list[Segment]] = field(default_factory=dict)
    """Range mode: the segments Amazon answered that overlap this cell."""


@dataclass
class CapacityTable:
    first_day: date
    days: int
    minutes: int
    zone: tzinfo | None
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    """By (day index, time index)."""

    @property
    def rows(self) -> int:
        return 24 * 60 // self.minutes

    def window(self) -> tuple[datetime, datetime]:
        """The UTC span the table covers: local midnight of the first day to after the last."""
        start = datetime.combine(self.first_day, datetime.min.time(), tzinfo=self.zone)
        if self.zone is None:
            start = start.astimezone()
        return start.astimezone(UTC), (start + timedelta(days=self.days)).astimezone(UTC)

    def place(self, moment: datetime) -> tuple[int, int] | None:
        local = moment.astimezone(self.zone)
        day = (local.date() - self.first_day).days
        if not 0 <= day < self.days:
            return None
        return day, (local.hour * 60 + local.minute) // self.minutes

    def cell_at(self, day: int, row: int) -> Cell | None:
        return self.cells.get((day, row))

    def peak(self, kind: CapacityType) -> int:
        return max((c.values.get(kind, 0) for c in self.cells.values()), default=0)

    # ---- building ------------------------------------------------------------------------
    def add_fixed(self, page: FixedSlotCapacity) -> None:
        step = timedelta(minutes=self.minutes)
        for slot in page.capacities or []:
            if slot.start_date_time is None:
                continue
            where = self.place(slot.start_date_time)
            if where is None:
                continue
            values = {
                CapacityType.SCHEDULED_CAPACITY: slot.scheduled_capacity,
                CapacityType.AVAILABLE_CAPACITY: slot.available_capacity,
                CapacityType.ENCUMBERED_CAPACITY: slot.encumbered_capacity,
                CapacityType.RESERVED_CAPACITY: slot.reserved_capacity,
            }
            found = {k: v for k, v in values.items() if v is not None}
            earlier = self.cells.get(where)
            if earlier is not None:
                # The hour a clock goes back holds two slots of one local time: the cell shows
                # both as range mode folds them, the lowest free and the highest held.
                found = {
                    k: (min if k in _LOWEST else max)(v, earlier.values.get(k, v))
                    for k, v in found.items()
                }
                self.cells[where] = Cell(earlier.start, slot.start_date_time + step, found)
                continue
            self.cells[where] = Cell(slot.start_date_time, slot.start_date_time + step, found)

    def add_range(self, page: RangeSlotCapacity) -> None:
        start, end = self.window()
        step = timedelta(minutes=self.minutes)
        for capacity in page.capacities or []:
            kind = capacity.capacity_type
            if kind is None:
                continue
            segments = [
                (s.start_date_time, s.end_date_time, s.capacity or 0)
                for s in capacity.slots or []
                if s.start_date_time and s.end_date_time
            ]
            for seg_start, seg_end, value in segments:
                moment = max(start, _floor(seg_start, start, step))
                while moment < min(seg_end, end):
                    where = self.place(moment)
                    if where is not None:
                        cell = self.cells.setdefault(where, Cell(moment, moment + step))
                        cell.segments.setdefault(kind, []).append((seg_start, seg_end, value))
                    moment += step
        self._fold()

    def _fold(self) -> None:
        """Each cell's number per type from the segments over it; a gap counts as zero."""
        for cell in self.cells.values():
            for kind, segments in cell.segments.items():
                covered = sum(
                    (min(e, cell.end) - max(s, cell.start)).total_seconds() for s, e, _ in segments
                )
                values = [v for _, _, v in segments]
                if covered < (cell.end - cell.start).total_seconds():
                    values.append(0)
                cell.values[kind] = min(values) if kind in _LOWEST else max(values)

    def empty_cells(self) -> None:
        """Cells no answer spoke of hold zeros in range mode (Amazon lists only non-empty runs)."""
        start, _ = self.window()
        step = timedelta(minutes=self.minutes)
        for day in range(self.days):
            for row in range(self.rows):
                moment = start + timedelta(days=day) + row * step
                where = self.place(moment)
                if where is not None and where not in self.cells:
                    self.cells[where] = Cell(moment, moment + step, dict.fromkeys(TYPES, 0))
        for cell in self.cells.values():
            for kind in TYPES:
                cell.values.setdefault(kind, 0)


def _floor(moment: datetime, origin: datetime, step: timedelta) -> datetime:
    return origin + ((moment - origin) // step) * step
