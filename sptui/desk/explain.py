"""Amazon's RESOURCES_* codes, in words a dispatcher can act on."""

from __future__ import annotations

from collections.abc import Iterable

from sptui.spapi.errors import ApiMessage

from .text import clean

PLAIN = {
    "RESOURCES_MISSING_REQUIRED_SKILLS": "lacks a skill this job needs",
    "RESOURCES_NOT_AVAILABLE_IN_LOCATION": "does not serve this job's store or area",
    "RESOURCES_NOT_REGISTERED_UNDER_MERCHANT": "is registered under another merchant",
    "RESOURCES_BACKGROUND_CHECK_INCOMPLETE": "has no completed background check yet",
    "RESOURCES_MISMATCHED_SERVICE_LOCATION_TYPE": (
        "does not work this kind of location (in home, in store, online)"
    ),
    "RESOURCES_NOT_AVAILABLE_IN_TIME_WINDOW": "has no free capacity at the appointment's time",
    "RESOURCES_OVERBOOKED": "is already booked at that time (assigned anyway)",
    "RESOURCES_UNASSIGNED": "was unassigned: assign the technicians again",
}


def explain(messages: Iterable[ApiMessage]) -> list[str]:
    """One plain line per message; the code stays visible for support."""
    lines = []
    for message in messages:
        code = clean(message.code or "")
        plain = PLAIN.get(code)
        applicable = clean(message.message).partition("Applicable resources:")[2].strip()
        who = f"{applicable}: " if applicable else ""
        lines.append(f"{who}{plain} ({code})" if plain else f"{code}: {clean(message.message)}")
    return lines
