"""What the dispatch board needs from the store, read in a few queries and no model parsing.

The board opens on thousands of appointments within a frame or two, so this reads columns and
the stored (buyer-free) JSON as plain dicts, never pydantic models.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import datetime, timedelta

from ..board import Block, Waiting, Window
from .jobs import JobStore
from .rows import from_ms, to_ms

CLOSED = ("CANCELLED", "COMPLETED")


LONGEST = timedelta(days=7)
"""Appointments are looked for from this long before the period (an index range, not a scan):
none lasts longer."""


def _preferred(text: str | None) -> tuple[Window, ...]:
    """The preferred windows, from the stored JSON of ``preferredAppointmentTimes``."""
    if not text:
        return ()
    try:
        items = json.loads(text)
    except ValueError:
        return ()
    found = []
    for item in items if isinstance(items, list) else []:
        try:
            start = datetime.fromisoformat(str(item["startTime"]).replace("Z", "+00:00"))
            minutes = int(item.get("durationInMinutes") or 0)
        except (KeyError, TypeError, ValueError):
            continue
        found.append((start, start + timedelta(minutes=minutes)))
    return tuple(found)


def board_input(
    store: JobStore, start: datetime, end: datetime
) -> tuple[list[Block], list[Waiting]]:
    """Active appointments overlapping [start, end), and the jobs still waiting for one."""

    def read(conn: sqlite3.Connection) -> tuple[list[Block], list[Waiting]]:
        first, last = to_ms(start), to_ms(end)
        rows = conn.execute(
            """SELECT a.job_id, a.appointment_id, a.start, a.minutes, j.title, j.city,
                      json_extract(j.document, '$.preferredAppointmentTimes')
               FROM appointments a JOIN jobs j ON j.job_id = a.job_id
               WHERE a.start >= ? AND a.start < ? AND a.status = 'ACTIVE'
                 AND a.start + COALESCE(a.minutes, 0) * 60000 > ?""",
            (to_ms(start - LONGEST), last, first),
        ).fetchall()
        crews: dict[tuple[str, str], list[str]] = defaultdict(list)
        skills: dict[str, list[str]] = defaultdict(list)
        job_ids = sorted({r[0] for r in rows})
        for chunk in range(0, len(job_ids), 500):
            part = job_ids[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            for job_id, appointment_id, technician in conn.execute(
                f"SELECT job_id, appointment_id, technician_id FROM crew WHERE job_id IN ({marks})"  # noqa: S608 (placeholders only)
                " ORDER BY technician_id",
                part,
            ):
                crews[(job_id, appointment_id)].append(technician)
            for job_id, value in conn.execute(
                f"SELECT job_id, value FROM job_keys WHERE kind = 'skill' AND job_id IN ({marks})"  # noqa: S608
                " ORDER BY value",
                part,
            ):
                skills[job_id].append(value)
        blocks = [
            Block(
                job_id,
                appointment_id,
                from_ms(begins),
                from_ms(begins) + timedelta(minutes=minutes or 0),
                tuple(crews.get((job_id, appointment_id), ())),
                title or "",
                city or "",
                tuple(skills.get(job_id, ())),
                _preferred(preferred),
            )
            for job_id, appointment_id, begins, minutes, title, city, preferred in rows
        ]
        waiting = [
            Waiting(
                job_id,
                from_ms(created) if created else None,
                title or "",
                city or "",
                _preferred(preferred),
                status or "",
            )
            for job_id, created, title, city, preferred, status in conn.execute(
                """SELECT job_id, created, title, city,
                          json_extract(document, '$.preferredAppointmentTimes'), status
                   FROM jobs j
                   WHERE status NOT IN (?, ?) AND NOT EXISTS (
                       SELECT 1 FROM appointments a
                       WHERE a.job_id = j.job_id AND a.status = 'ACTIVE')
                   ORDER BY created, job_id""",
                CLOSED,
            )
        ]
        return blocks, waiting

    return store.read(read)


def board_people(store: JobStore) -> tuple[set[str], dict[str, str]]:
    """The stores the stored jobs are at, and every technician assigned on one (id -> name)."""

    def read(conn: sqlite3.Connection) -> tuple[set[str], dict[str, str]]:
        stores = {
            r[0] for r in conn.execute("SELECT DISTINCT store_id FROM jobs") if r[0] is not None
        }
        crew = {
            tid: name or tid
            for tid, name in conn.execute(
                "SELECT technician_id, max(name) FROM crew GROUP BY technician_id"
            )
        }
        return stores, crew

    return store.read(read)


def next_start(store: JobStore, after: datetime) -> datetime | None:
    """When the first active appointment that ends after ``after`` starts; None if none."""
    row = store.read(
        lambda c: c.execute(
            "SELECT min(start) FROM appointments WHERE status = 'ACTIVE' AND start IS NOT NULL"
            " AND start + COALESCE(minutes, 0) * 60000 > ?",
            (to_ms(after),),
        ).fetchone()
    )
    return from_ms(row[0]) if row and row[0] is not None else None
