"""Who is somewhere else at a time: the technicians the job store shows on another active
appointment then. Amazon books a technician twice without a word (RESOURCES_OVERBOOKED comes
back as a warning), so both faces say it before an assignment is sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from .board import Block
from .store.board_rows import board_input
from .store.jobs import JobStore


def elsewhere(store: JobStore, job_id: str, start: datetime, minutes: int) -> dict[str, Block]:
    """Technician id -> another job's active appointment overlapping ``start`` for
    ``minutes`` (the first found), from what the store holds."""
    end = start + timedelta(minutes=minutes)
    blocks, _ = board_input(store, start, end)
    found: dict[str, Block] = {}
    for block in blocks:
        if block.job_id == job_id or not (block.start < end and start < block.end):
            continue
        for technician in block.technicians:
            found.setdefault(technician, block)
    return found
