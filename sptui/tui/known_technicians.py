"""Every technician the console knows of: Amazon has no call that lists a provider's resources.

Three places name them: the profile's config (`resources`), the jobs seen (their assigned
technicians), and sptui's own journal (schedules and reservations it wrote for a resource id).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App

from .journal_memory import DONE

SUPPLY_WRITES = ("updateSchedule", "createReservation", "updateReservation")


def journalled(entries: Iterable[dict[str, Any]], profile: str) -> list[str]:
    """Resource ids sptui wrote a schedule or reservation for, first seen first."""
    found: dict[str, None] = {}
    for entry in entries:
        if (
            entry.get("profile") == profile
            and entry.get("outcome") in DONE
            and entry.get("operation") in SUPPLY_WRITES
        ):
            rid = (entry.get("ids") or {}).get("resourceId") or (entry.get("parameters") or {}).get(
                "resourceId"
            )
            if isinstance(rid, str) and rid:
                found[rid] = None
    return list(found)


def jobs_technicians(app: App[Any]) -> dict[str, str]:
    """Resource id → name, of the technicians assigned on the jobs loaded."""
    from .screens.jobs import JobsScreen

    seen: dict[str, str] = {}
    for screen in app.screen_stack:
        if isinstance(screen, JobsScreen):
            seen.update(screen.feed.technicians)
    return seen


def journal_technicians(app: App[Any]) -> list[str]:
    session = app.session  # type: ignore[attr-defined]
    return journalled(session.journal.entries(), session.context()["profile"])


def technician_names(app: App[Any]) -> dict[str, str]:
    """Resource id → the best name known for every technician known, the config's first."""
    session = app.session  # type: ignore[attr-defined]
    names = dict.fromkeys(journal_technicians(app), "")
    names.update(jobs_technicians(app))
    for rid, resource in session.resources.items():
        names[rid] = resource.name or names.get(rid) or ""
    return {rid: name or rid for rid, name in names.items()}
