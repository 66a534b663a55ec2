"""The time, as the core reads it: aware and in UTC (a seam tests replace with a fixed clock).

Kept apart from the API layer's models so that what runs before they are loaded (opening the
job store, painting its rows) can read the clock too.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
