"""The 17 operations of the Services API: where they live and what their usage plan allows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    READ = "read"
    """Safe to repeat: retried on any transient failure (some reads are POSTs, e.g. capacity)."""
    WRITE = "write"
    """Changes server state: retried only when the server provably did not apply it (429)."""


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str
    path: str
    rate: float
    burst: int
    kind: Kind

    @property
    def is_read(self) -> bool:
        return self.kind is Kind.READ


BASE_PATH = "/service/v1"

_R, _W = Kind.READ, Kind.WRITE

OPERATIONS: dict[str, Operation] = {
    op.operation_id: op
    for op in (
        Operation("getServiceJobByServiceJobId", "GET", "/serviceJobs/{serviceJobId}", 20, 40, _R),
        Operation(
            "cancelServiceJobByServiceJobId",
            "PUT",
            "/serviceJobs/{serviceJobId}/cancellations",
            5,
            20,
            _W,
        ),
        Operation(
            "completeServiceJobByServiceJobId",
            "PUT",
            "/serviceJobs/{serviceJobId}/completions",
            5,
            20,
            _W,
        ),
        Operation("getServiceJobs", "GET", "/serviceJobs", 10, 40, _R),
        Operation(
            "addAppointmentForServiceJobByServiceJobId",
            "POST",
            "/serviceJobs/{serviceJobId}/appointments",
            5,
            20,
            _W,
        ),
        Operation(
            "rescheduleAppointmentForServiceJobByServiceJobId",
            "POST",
            "/serviceJobs/{serviceJobId}/appointments/{appointmentId}",
            5,
            20,
            _W,
        ),
        Operation(
            "assignAppointmentResources",
            "PUT",
            "/serviceJobs/{serviceJobId}/appointments/{appointmentId}/resources",
            1,
            2,
            _W,
        ),
        Operation(
            "setAppointmentFulfillmentData",
            "PUT",
            "/serviceJobs/{serviceJobId}/appointments/{appointmentId}/fulfillment",
            5,
            20,
            _W,
        ),
        Operation(
            "getRangeSlotCapacity",
            "POST",
            "/serviceResources/{resourceId}/capacity/range",
            5,
            20,
            _R,
        ),
        Operation(
            "getFixedSlotCapacity",
            "POST",
            "/serviceResources/{resourceId}/capacity/fixed",
            5,
            20,
            _R,
        ),
        Operation("updateSchedule", "PUT", "/serviceResources/{resourceId}/schedules", 5, 20, _W),
        Operation("createReservation", "POST", "/reservation", 5, 20, _W),
        Operation("updateReservation", "PUT", "/reservation/{reservationId}", 5, 20, _W),
        Operation("cancelReservation", "DELETE", "/reservation/{reservationId}", 5, 20, _W),
        Operation(
            "getAppointmmentSlotsByJobId",
            "GET",
            "/serviceJobs/{serviceJobId}/appointmentSlots",
            5,
            20,
            _R,
        ),
        Operation("getAppointmentSlots", "GET", "/appointmentSlots", 20, 40, _R),
        # A second destination costs nothing but an unused upload slot, so it is safe to repeat.
        Operation("createServiceDocumentUploadDestination", "POST", "/documents", 5, 20, _R),
    )
}
