"""What the store keeps of a job, and how a stored row becomes a list row again.

Built from an allowlist, never by removing buyer fields from the whole job: a field Amazon adds
later (the model keeps unknown fields) is not stored until someone decides it may be. Kept: ids,
status, times, the service (title, ASIN, skills), store, marketplace, city, preferred times,
appointments with their windows, technicians and proof-of-appointment facts, order and tracking
ids. Never kept: the buyer (name, phone, id), the address other than its city, associated items,
payments — they are fetched when a job is opened and held in memory only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from ..formatting import NONE, status_class, when
from ..summary import JobSummary, search_ids, summarize

if TYPE_CHECKING:  # stored rows are read and shown before the models are loaded
    from sptui.spapi.models import ServiceJob

CLOSED = frozenset({"CANCELLED", "COMPLETED"})
"""Statuses after which nothing more happens to a job; these are purged in time."""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)

_APPOINTMENT_KEYS = ("appointmentId", "appointmentStatus", "rescheduledAppointmentId")
_POA_KEYS = ("appointmentTime", "technicians", "uploadingTechnician", "uploadTime", "poaType")


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, exactly (no float rounding)."""
    return (moment - EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    return EPOCH + ms * _MS


def _time(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    kept = {k: value[k] for k in ("startTime", "durationInMinutes") if k in value}
    return kept or None


def _technicians(value: Any) -> list[dict[str, Any]]:
    return [
        {k: t[k] for k in ("technicianId", "name") if k in t}
        for t in value or []
        if isinstance(t, dict)
    ]


def _appointment(wire: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {k: wire[k] for k in _APPOINTMENT_KEYS if k in wire}
    if (time := _time(wire.get("appointmentTime"))) is not None:
        kept["appointmentTime"] = time
    if wire.get("assignedTechnicians"):
        kept["assignedTechnicians"] = _technicians(wire["assignedTechnicians"])
    poa = wire.get("poa")
    if isinstance(poa, dict):
        proof: dict[str, Any] = {k: poa[k] for k in _POA_KEYS if k in poa}
        if "appointmentTime" in proof:
            proof["appointmentTime"] = _time(proof["appointmentTime"])
        if "technicians" in proof:
            proof["technicians"] = _technicians(proof["technicians"])
        kept["poa"] = proof
    return kept


def lean(job: ServiceJob) -> dict[str, Any]:
    """The job as Amazon shapes it, with only what the store may keep (see the module doc)."""
    wire = job.to_wire(pii=False)
    kept: dict[str, Any] = {
        k: wire[k]
        for k in (
            "serviceJobId",
            "serviceJobStatus",
            "createTime",
            "serviceOrderId",
            "productOrderIds",
            "trackingIds",
            "marketplaceId",
            "storeId",
        )
        if k in wire
    }
    scope = wire.get("scopeOfWork")
    if isinstance(scope, dict):
        kept["scopeOfWork"] = {
            k: scope[k] for k in ("asin", "title", "quantity", "requiredSkills") if k in scope
        }
    provider = wire.get("serviceJobProvider")
    if isinstance(provider, dict) and "serviceJobProviderId" in provider:
        kept["serviceJobProvider"] = {"serviceJobProviderId": provider["serviceJobProviderId"]}
    preferred = [t for t in map(_time, wire.get("preferredAppointmentTimes") or []) if t]
    if preferred:
        kept["preferredAppointmentTimes"] = preferred
    kept["appointments"] = [_appointment(a) for a in wire.get("appointments") or []]
    location = wire.get("serviceLocation")
    if isinstance(location, dict):
        place: dict[str, Any] = {}
        if "serviceLocationType" in location:
            place["serviceLocationType"] = location["serviceLocationType"]
        address = job.service_location.address if job.service_location else None
        city = address.city if address else None
        if city:
            place["address"] = {"city": city}
        kept["serviceLocation"] = place
    return kept


@dataclass(frozen=True, slots=True)
class JobRow:
    """One job as the store writes it (see schema.py for the columns)."""

    job_id: str
    marketplace: str | None
    status: str
    created: int | None
    evidence: int | None
    """The latest time the job itself shows: created, an appointment begun, proof uploaded. The
    best guess of when a job first seen closed was closed, and of when it last changed."""
    title: str | None
    asin: str | None
    store_id: str | None
    city: str | None
    service_order_id: str | None
    appt_start: int | None
    technician: str | None
    provider: str | None
    cells: str
    haystack: str
    signature: str
    document: str
    digest: str
    keys: tuple[tuple[str, str], ...]
    appointments: tuple[tuple[str, str | None, int | None, int | None, str | None], ...]
    crew: tuple[tuple[str, str, str | None], ...]


def storable(text: str) -> str:
    """``text`` without lone surrogates, which JSON can carry ("\\ud800") but UTF-8, and so
    SQLite, cannot: one such character anywhere in a job would otherwise fail every sync that
    lists it. Nothing else is touched (control characters are stored as they came, and cleaned
    where shown), so every real id stays exactly as Amazon knows it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(c for c in text if not "\ud800" <= c <= "\udfff")
    return text


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, tuple):
        return tuple(_storable(v) for v in value)
    return value


def row_of(job: ServiceJob, now: datetime) -> JobRow:
    """The row for a job read from Amazon (``now`` bounds the evidence times), every string
    made ``storable``."""
    row = _row_of(job, now)
    fields = {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    clean = {k: _storable(v) for k, v in fields.items()}
    return row if clean == fields else JobRow(**clean)


def _row_of(job: ServiceJob, now: datetime) -> JobRow:
    summary = summarize(job, UTC)
    cells = summary.cells
    document = lean(job)
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    zone_free = (cells[0], *cells[2:])  # cells[1], the time, is written in the reader's zone
    haystack = " ".join((*zone_free, *search_ids(job))).lower()
    scope = job.scope_of_work
    keys: list[tuple[str, str]] = []
    keys += [("skill", s) for s in (scope.required_skills or [] if scope else [])]
    keys += [("product_order", s) for s in job.product_order_ids or []]
    keys += [("tracking", s) for s in job.tracking_ids or []]
    appointments = []
    crew = []
    start = None
    evidence = [job.create_time] if job.create_time else []
    for appointment in job.appointments or []:
        aid = appointment.appointment_id or ""
        time = appointment.appointment_time
        begins = time.start_time if time else None
        status = getattr(appointment.appointment_status, "value", appointment.appointment_status)
        appointments.append(
            (
                aid,
                status,
                to_ms(begins) if begins else None,
                time.duration_in_minutes if time else None,
                appointment.rescheduled_appointment_id,
            )
        )
        if status == "ACTIVE" and start is None and begins is not None:
            start = to_ms(begins)
        for tech in appointment.assigned_technicians or []:
            if tech.technician_id:
                crew.append((aid, tech.technician_id, tech.name))
        if begins is not None and begins <= now:
            evidence.append(begins)
        if appointment.poa and appointment.poa.upload_time and appointment.poa.upload_time <= now:
            evidence.append(appointment.poa.upload_time)
    address = job.service_location.address if job.service_location else None
    provider = job.service_job_provider
    return JobRow(
        job_id=summary.job_id,
        marketplace=job.marketplace_id,
        status=summary.status or "UNKNOWN",
        created=to_ms(job.create_time) if job.create_time else None,
        evidence=to_ms(max(evidence)) if evidence else None,
        title=scope.title if scope else None,
        asin=scope.asin if scope else None,
        store_id=job.store_id,
        city=address.city if address else None,
        service_order_id=job.service_order_id,
        appt_start=start,
        technician=cells[6] if cells[6] != NONE else None,
        provider=provider.service_job_provider_id if provider else None,
        cells=json.dumps(zone_free, ensure_ascii=False),
        haystack=haystack,
        signature=summary.signature,
        document=text,
        digest=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32],
        keys=tuple(dict.fromkeys(keys)),
        appointments=tuple(appointments),
        crew=tuple(dict.fromkeys(crew)),
    )


def search_text(haystack: str, appt_start: int | None, zone: tzinfo | None) -> str:
    """What `/` searches: the zone-free text and the scheduled cell as shown in ``zone``."""
    start = from_ms(appt_start) if appt_start is not None else None
    return f"{haystack} {when(start, zone, short=True).lower()}"


SUMMARY_COLUMNS = "job_id, status, created, appt_start, cells, search, signature"
"""The columns ``summary_of`` reads, in its order."""


def summary_of(row: tuple[Any, ...], zone: tzinfo | None) -> JobSummary:
    """The list row for a stored job, as ``summarize`` makes it from the whole job."""
    job_id, status, created, appt_start, cells, search, signature = row
    zone_free = json.loads(cells)
    start = from_ms(appt_start) if appt_start is not None else None
    return JobSummary(
        job_id=job_id,
        status=status,
        created=from_ms(created) if created is not None else None,
        cells=(zone_free[0], when(start, zone, short=True), *zone_free[1:]),
        css=status_class(status),
        haystack=search,
        signature=signature,
    )


def job_of(document: str) -> ServiceJob:
    """The stored (PII-free) job, parsed."""
    from sptui.spapi.models import ServiceJob

    return ServiceJob.from_wire(json.loads(document))
