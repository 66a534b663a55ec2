"""Every technician the console knows of: Amazon has no call that lists a provider's resources.

Three places name them: the profile's config (`resources`), the jobs seen (their assigned
technicians), and sptui's own journal (schedules and reservations it wrote for a resource id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.app import App

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


def known_technicians(app: App[Any]) -> list[Known]:
    """Every technician this session knows of, from all three places."""
    from .screens.jobs import JobsScreen

    session = app.session  # type: ignore[attr-defined]
    seen: dict[str, str] = {}
    for screen in app.screen_stack:
        if isinstance(screen, JobsScreen):
            seen.update(screen.feed.technicians)
    configured = {rid: (r.name, r.skills) for rid, r in session.resources.items()}
    logged = journalled(session.journal.entries(), session.context()["profile"])
    return known_resources(configured, seen, logged)


def technician_names(app: App[Any]) -> dict[str, str]:
    """Resource id → the best name known, for every technician known."""
    return {rid: name for rid, name, *_ in known_technicians(app)}
