"""What sptui remembers of schedules and reservations, from its own journal.

Amazon's Services API can write a technician's schedule and reservations but has no call to read
them back (capacity shows only their effect). The journal holds every write sptui made with its
parameters and the ids it created, so it is where the console finds them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sptui.spapi.models import AvailabilityRecord, Reservation

DONE = ("succeeded", "applied")


@dataclass
class KnownReservation:
    reservation_id: str
    resource_id: str
    reservation: Reservation
    cancelled: bool = False


def done_by(entries: Iterable[dict[str, Any]], profile: str) -> Iterable[dict[str, Any]]:
    """The entries of writes this profile made that took effect."""
    for entry in entries:
        if entry.get("profile") == profile and entry.get("outcome") in DONE:
            yield entry


def known_reservations(
    entries: Iterable[dict[str, Any]], profile: str, resource_id: str
) -> list[KnownReservation]:
    """The reservations sptui made (or changed) for this technician, newest first."""
    found: dict[str, KnownReservation] = {}
    for entry in done_by(entries, profile):
        operation = entry.get("operation")
        parameters = entry.get("parameters") or {}
        if operation == "createReservation":
            rid = (entry.get("created") or {}).get("reservationId")
            if rid and parameters.get("resourceId") == resource_id:
                found[rid] = KnownReservation(
                    rid, resource_id, Reservation.model_validate(parameters.get("reservation"))
                )
        elif operation == "updateReservation":
            rid = (entry.get("ids") or {}).get("reservationId")
            if rid and parameters.get("resourceId") == resource_id:
                found.pop(rid, None)
                found[rid] = KnownReservation(
                    rid, resource_id, Reservation.model_validate(parameters.get("reservation"))
                )
        elif operation == "cancelReservation":
            rid = (entry.get("ids") or {}).get("reservationId")
            if rid in found:
                found[rid].cancelled = True
    return list(reversed(found.values()))


def last_schedule(
    entries: Iterable[dict[str, Any]], profile: str, resource_id: str
) -> list[AvailabilityRecord] | None:
    """The records of the last schedule sptui sent for this technician, or None."""
    last = None
    for entry in done_by(entries, profile):
        if (
            entry.get("operation") == "updateSchedule"
            and (entry.get("ids") or {}).get("resourceId") == resource_id
        ):
            last = (entry.get("parameters") or {}).get("schedules")
    if last is None:
        return None
    return [AvailabilityRecord.model_validate(record) for record in last]


def find_reservation(
    entries: Iterable[dict[str, Any]], profile: str, reservation_id: str
) -> KnownReservation | None:
    """A reservation sptui made or changed, by its id alone (whichever technician it holds)."""
    entries = list(entries)
    resource_id = None
    for entry in done_by(entries, profile):
        ids = {**(entry.get("ids") or {}), **(entry.get("created") or {})}
        resource = (entry.get("parameters") or {}).get("resourceId")
        if ids.get("reservationId") == reservation_id and resource:
            resource_id = str(resource)
    if resource_id is None:
        return None
    found = known_reservations(entries, profile, resource_id)
    return next((k for k in found if k.reservation_id == reservation_id), None)
