"""The simulator's state: jobs, technicians, schedules, reservations and upload destinations.

Jobs are held as the very models the client parses (sptui.spapi.models), so every answer is
built from, and validated by, Amazon's own schemas.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sptui.spapi.models import (
    Appointment,
    AppointmentStatus,
    AvailabilityRecord,
    Reservation,
    ServiceJob,
    ServiceJobStatus,
)
from sptui.spapi.models.base import utc_now

Clock = Callable[[], datetime]

OPEN = frozenset(
    {ServiceJobStatus.NOT_SERVICED, ServiceJobStatus.PENDING_SCHEDULE, ServiceJobStatus.HOLD}
)
"""States in which a job can still be cancelled or worked on."""


@dataclass
class Technician:
    resource_id: str
    name: str
    skills: frozenset[str]
    store_ids: frozenset[str]
    marketplace_id: str
    location_type: str = "IN_HOME"
    background_checked: bool = True
    registered: bool = True
    """False: the resource exists but belongs to another merchant."""


@dataclass
class JobRecord:
    job: ServiceJob
    updated: datetime
    fulfilled: set[str] = field(default_factory=set)
    """Appointment ids whose fulfillment data has been set."""

    @property
    def job_id(self) -> str:
        return str(self.job.service_job_id)

    @property
    def status(self) -> ServiceJobStatus:
        return self.job.service_job_status or ServiceJobStatus.NOT_SERVICED

    def active(self) -> Appointment | None:
        for appointment in self.job.appointments or []:
            if appointment.appointment_status == AppointmentStatus.ACTIVE:
                return appointment
        return None

    def appointment(self, appointment_id: str) -> Appointment | None:
        for appointment in self.job.appointments or []:
            if appointment.appointment_id == appointment_id:
                return appointment
        return None


@dataclass
class Upload:
    destination_id: str
    key: str = field(repr=False)
    iv: str = field(repr=False)
    content_type: str
    content_length: int
    content_md5: str | None
    expires_at: datetime
    sha256: str | None = None
    """Base64 SHA-256 of the decrypted document, once it has been uploaded."""
    problem: str | None = None
    """Why the uploaded body was unusable, in Amazon's words."""


@dataclass
class World:
    clock: Clock = utc_now
    jobs: dict[str, JobRecord] = field(default_factory=dict)
    technicians: dict[str, Technician] = field(default_factory=dict)
    schedules: dict[str, list[AvailabilityRecord]] = field(default_factory=dict)
    reservations: dict[str, tuple[str, Reservation]] = field(default_factory=dict)
    """reservation id -> (resource id, reservation)."""
    uploads: dict[str, Upload] = field(default_factory=dict)
    other_provider_jobs: dict[str, JobRecord] = field(default_factory=dict)
    """Jobs of another service provider: Amazon knows their ids, but these credentials may
    neither list nor touch them (403). Kept apart from ``jobs`` so that nothing that walks this
    provider's jobs (listings, slot loads, the demo) ever meets them."""
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    version: int = 0
    """Bumped by every change, so cached listings know when they are stale."""
    listings: dict[tuple[str, int], list[str]] = field(default_factory=dict, repr=False)
    """getServiceJobs answers by (query, version): paging a big world re-sorts nothing. Held
    here, not in a module-wide cache keyed by id(world): a new world can reuse a dead one's id."""

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self.counter):08d}"

    def touch(self, record: JobRecord | None = None) -> None:
        """Note a change (to a job, or to capacity when ``record`` is None)."""
        self.version += 1
        if record is not None:
            record.updated = self.clock()
