"""The columns of each kind of record the command line prints.

Names are Amazon's where Amazon has one (``serviceJobId``), so csv headers, table columns and
``jq`` paths over json read the same. Values are API values (``NOT_SERVICED``, ISO UTC times);
only the table's cleaning touches them.
"""

from __future__ import annotations

from typing import Any

from sptui.desk.formatting import active_appointment
from sptui.desk.writes import WriteResult
from sptui.spapi.models import AppointmentSlot, ServiceJob

from .output import Field


def _active_start(job: ServiceJob) -> object:
    active = active_appointment(job)
    time = active.appointment_time if active else None
    return time.start_time if time else None


def _technicians(job: ServiceJob) -> list[str]:
    active = active_appointment(job)
    return [t.technician_id or "" for t in (active.assigned_technicians if active else None) or []]


def _city(job: ServiceJob) -> object:
    location = job.service_location
    return location.address.city if location and location.address else None


JOB_FIELDS: tuple[Field, ...] = (
    ("serviceJobId", lambda j: j.service_job_id),
    ("serviceJobStatus", lambda j: j.service_job_status),
    ("createTime", lambda j: j.create_time),
    ("appointmentStart", _active_start),
    ("appointmentId", lambda j: a.appointment_id if (a := active_appointment(j)) else None),
    ("technicians", _technicians),
    ("title", lambda j: j.scope_of_work.title if j.scope_of_work else None),
    ("asin", lambda j: j.scope_of_work.asin if j.scope_of_work else None),
    ("storeId", lambda j: j.store_id),
    ("city", _city),
    ("marketplaceId", lambda j: j.marketplace_id),
)


def write_id(result: WriteResult) -> str | None:
    """The id a script wants from a write: what it made (a new reservation), else what it
    wrote to (the job, resource or reservation)."""
    made = next(iter(result.created.values()), None)
    return made or next(iter(result.ids.values()), None)


WRITE_FIELDS: tuple[Field, ...] = (
    ("id", write_id),
    ("operation", lambda r: r.operation),
    ("outcome", lambda r: r.outcome),
    ("message", lambda r: r.message),
    ("requestId", lambda r: r.request_id),
    ("warnings", lambda r: [f"{w.code}: {w.message}" for w in r.warnings]),
    ("created", lambda r: [f"{k}={v}" for k, v in r.created.items()]),
)


def write_document(result: WriteResult) -> dict[str, Any]:
    """A write's outcome as JSON: its ids, Amazon's codes and the request id."""
    return {
        "operation": result.operation,
        **result.ids,
        "outcome": result.outcome,
        "message": result.message,
        "requestId": result.request_id,
        "warnings": [{"code": w.code, "message": w.message} for w in result.warnings],
        "errors": [{"code": e.code, "message": e.message} for e in result.errors],
        **({"created": result.created} if result.created else {}),
    }


SLOT_FIELDS: tuple[Field, ...] = (
    ("startTime", lambda s: s.start_time),
    ("endTime", lambda s: s.end_time),
    ("capacity", lambda s: s.capacity),
)


def slot_document(slot: AppointmentSlot) -> dict[str, Any]:
    return slot.to_wire()


CAPACITY_FIELDS: tuple[Field, ...] = (
    ("startDateTime", lambda c: c[0].start),
    ("endDateTime", lambda c: c[0].end),
    ("type", lambda c: c[1]),
    ("capacity", lambda c: c[2]),
)


def _entry_id(entry: dict[str, Any]) -> object:
    """An entry's id for `-o ids`: what the write made, else the first id it wrote to."""
    made = entry.get("created") or {}
    ids = entry.get("ids") or {}
    return next(iter(made.values()), None) or next(iter(ids.values()), None)


JOURNAL_FIELDS: tuple[Field, ...] = (
    ("id", _entry_id),
    ("time", lambda e: e.get("time")),
    ("operation", lambda e: e.get("operation")),
    ("outcome", lambda e: e.get("outcome")),
    (
        "ids",
        lambda e: [
            f"{k}={v}" for k, v in {**(e.get("ids") or {}), **(e.get("created") or {})}.items()
        ],
    ),
    ("profile", lambda e: e.get("profile")),
    ("user", lambda e: e.get("user")),
    ("requestId", lambda e: e.get("request_id")),
    ("message", lambda e: e.get("message")),
)
