"""Times as the user types them: in their own zone, to the minute; sent in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

FORMAT_HINT = "YYYY-MM-DD HH:MM"


def parse_local(text: str, zone: tzinfo | None) -> datetime:
    """'2026-12-02 10:00' in the user's zone, as a UTC time; ValueError if it is not one."""
    value = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    local = value.replace(tzinfo=zone) if zone else value.astimezone()
    return local.astimezone(UTC)


def zone_name(zone: tzinfo | None) -> str:
    return getattr(zone, "key", None) or (str(zone) if zone else "local time")
