"""What the jobs list keeps of each job: its row, its search text and its change signature.

A parsed ServiceJob is some 12 KB of pydantic objects; a list of 10,000 of them would weigh more
than the rest of the console. The list keeps this summary instead, and a job screen fetches the
whole job when it opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from .formatting import NONE, active_appointment, status_class, status_label, technicians, when
from .text import clean

if TYPE_CHECKING:  # stored summaries are shown before the models are loaded
    from sptui.spapi.models import ServiceJob


@dataclass(frozen=True, slots=True)
class JobSummary:
    job_id: str
    status: str
    created: datetime | None
    cells: tuple[str, ...]
    """Status, scheduled, service, ASIN, store, city, technician, job id."""
    css: str
    haystack: str
    """What `/` searches: never the buyer's name, phone or street (masked on screen)."""
    signature: str
    """Changes here are what a dispatcher should notice on refresh."""


def search_ids(job: ServiceJob) -> tuple[str, ...]:
    """The ids `/` finds besides the visible cells: orders, tracking and the whole store id."""
    return (
        clean(job.service_order_id),
        " ".join(clean(x) for x in job.product_order_ids or []),
        " ".join(clean(x) for x in job.tracking_ids or []),
        clean(job.store_id),
    )


def summarize(job: ServiceJob, zone: tzinfo | None) -> JobSummary:
    job_id = str(job.service_job_id or "")  # raw: what opens and writes it; cells are cleaned
    active = active_appointment(job)
    time = active.appointment_time if active else None
    start = time.start_time if time else None
    scope = job.scope_of_work
    address = job.service_location.address if job.service_location else None
    crew = technicians(active)
    cells = (
        status_label(job.service_job_status),
        when(start, zone, short=True),
        clean(scope.title) if scope else NONE,
        clean(scope.asin) if scope else NONE,
        clean(job.store_id)[:8] or NONE,
        clean(address.city) if address else NONE,
        crew,
        clean(job_id),
    )
    extra = search_ids(job)
    status = clean(getattr(job.service_job_status, "value", job.service_job_status) or "")
    signature = "|".join(
        (
            status,
            clean(active.appointment_id) if active else "",
            str(start),
            crew,
            str(len(job.appointments or [])),
        )
    )
    return JobSummary(
        job_id=job_id,
        status=status,
        created=job.create_time,
        cells=cells,
        css=status_class(job.service_job_status),
        haystack=" ".join((*cells, *extra)).lower(),
        signature=signature,
    )
