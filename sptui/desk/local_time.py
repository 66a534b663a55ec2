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
    """The zone's name ('America/New_York'); for this machine's own, what it calls itself."""
    if zone is None:
        return datetime.now().astimezone().tzname() or "local time"
    return getattr(zone, "key", None) or str(zone)


def parse_when(text: str, zone: tzinfo | None) -> datetime:
    """A time as a script or a person gives it, as UTC: ISO 8601 with ``Z`` or an offset
    (``2026-12-02T15:00:00Z``), or in the user's zone ``2026-12-02 10:00`` or ``2026-12-02``
    (its midnight). ValueError names the forms taken."""
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a time: give YYYY-MM-DD, {FORMAT_HINT} (your zone) or ISO 8601"
        ) from None
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=zone) if zone else moment.astimezone()
        return local.astimezone(UTC)
    return moment.astimezone(UTC)
