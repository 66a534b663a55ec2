"""Open slots as a table, one window a line, so that one can be picked and booked (enter)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from sptui.spapi.models import AppointmentSlot

from .virtual_table import Column, Row, VirtualTable

SLOT_COLUMNS = [
    Column("day", "Day", 11, priority=0),
    Column("window", "Window", 12, priority=0),
    Column("free", "Free", 5, flex=True, priority=0),
]


def slot_rows(slots: list[AppointmentSlot], zone: tzinfo | None) -> list[Row]:
    """The open windows, soonest first; each row's key is its start (ISO, UTC)."""
    rows = []
    shown = sorted(
        (s for s in slots if s.start_time is not None and s.capacity),
        key=lambda s: s.start_time,  # type: ignore[arg-type,return-value]
    )
    for slot in shown:
        start = slot.start_time.astimezone(zone)  # type: ignore[union-attr]
        end = f"{slot.end_time.astimezone(zone):%H:%M}" if slot.end_time else "?"
        rows.append(
            Row(
                slot.start_time.isoformat(),  # type: ignore[union-attr]
                (f"{start:%a %d %b}", f"{start:%H:%M}–{end}", str(slot.capacity)),
            )
        )
    return rows


def slot_start(row: Row) -> datetime:
    return datetime.fromisoformat(row.key)


class SlotTable(VirtualTable):
    """A VirtualTable of open slots; enter posts VirtualTable.Activated with the slot's row."""

    def __init__(self, *, empty: str, **kw: object) -> None:
        super().__init__(SLOT_COLUMNS, empty=empty, **kw)
