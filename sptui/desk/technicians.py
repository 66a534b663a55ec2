"""Every technician sptui knows of: Amazon has no call that lists a provider's resources.

Three places name them: the profile's config (`resources`), the jobs seen (their assigned
technicians), and sptui's own journal (schedules and reservations it wrote for a resource id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .journal_memory import done_by

SUPPLY_WRITES = ("updateSchedule", "createReservation", "updateReservation")

Known = tuple[str, str, list[str], str]
"""(resource id, name, skills, where it is known from)."""


def journalled(entries: Iterable[dict[str, Any]], profile: str) -> list[str]:
    """Resource ids sptui wrote a schedule or reservation for, first seen first."""
    found: dict[str, None] = {}
    for entry in done_by(entries, profile):
        if entry.get("operation") in SUPPLY_WRITES:
            rid = (entry.get("ids") or {}).get("resourceId") or (entry.get("parameters") or {}).get(
                "resourceId"
            )
            if isinstance(rid, str) and rid:
                found[rid] = None
    return list(found)


def known_resources(
    configured: dict[str, tuple[str | None, list[str]]],
    seen: dict[str, str],
    journalled: Sequence[str] = (),
) -> list[Known]:
    """Config, jobs and journal merged: the config's name first, then the jobs', then the id."""
    ids = dict.fromkeys([*configured, *seen, *journalled])
    found = []
    for rid in ids:
        name, skills = configured.get(rid, (None, []))
        where = ", ".join(
            label
            for label, has in (
                ("config", rid in configured),
                ("jobs", rid in seen),
                ("journal", rid in journalled),
            )
            if has
        )
        found.append((rid, name or seen.get(rid) or rid, list(skills), where))
    # by name, the ones known only by their id last
    return sorted(found, key=lambda r: (r[1] == r[0], r[1].lower(), r[0]))
