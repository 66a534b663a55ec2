"""The jobs a screen shows: fetched a page at a time, narrowed as you type, merged on refresh.

Headless on purpose (no Textual here): the paging, narrowing and change detection are tested and
benchmarked without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sptui.spapi import ServicesClient
from sptui.spapi.models import ServiceJob

from .formatting import active_appointment, status_label, technicians
from .text import clean

PAGE_SIZE = 20
DEFAULT_WINDOW = timedelta(days=90)
WATCH_OVERLAP = timedelta(seconds=5)
"""Polls for changes reach back this far before the previous poll, for clock skew."""


@dataclass(frozen=True)
class JobFilters:
    """What the jobs screen asks getServiceJobs for."""

    statuses: tuple[str, ...] = ()
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    asins: tuple[str, ...] = ()
    store_ids: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    service_order_ids: tuple[str, ...] = ()
    product_order_ids: tuple[str, ...] = ()
    tracking_ids: tuple[str, ...] = ()
    sort_field: str = "JOB_DATE"
    sort_order: str = "DESC"

    def anchored(self, now: datetime) -> JobFilters:
        """Amazon needs createdAfter or lastUpdatedAfter; default to the last 90 days."""
        if self.created_after is None and self.updated_after is None:
            return replace(self, created_after=now - DEFAULT_WINDOW)
        return self

    def query(self) -> dict[str, Any]:
        """Keyword arguments for ServicesClient.get_service_jobs."""
        pairs = {
            "service_job_status": self.statuses,
            "created_after": self.created_after,
            "created_before": self.created_before,
            "last_updated_after": self.updated_after,
            "last_updated_before": self.updated_before,
            "asins": self.asins,
            "store_ids": self.store_ids,
            "required_skills": self.skills,
            "service_order_ids": self.service_order_ids,
            "product_order_ids": self.product_order_ids,
            "tracking_ids": self.tracking_ids,
            "sort_field": self.sort_field,
            "sort_order": self.sort_order,
        }
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in pairs.items() if v}

    def describe(self) -> str:
        parts = []
        if self.statuses:
            parts.append("status " + "/".join(s.replace("_", " ").lower() for s in self.statuses))
        for label, values in (
            ("ASIN", self.asins),
            ("store", self.store_ids),
            ("skill", self.skills),
            ("order", self.service_order_ids + self.product_order_ids),
            ("tracking", self.tracking_ids),
        ):
            if values:
                parts.append(f"{label} {','.join(values)}")
        if self.created_after:
            parts.append(f"created ≥ {self.created_after:%Y-%m-%d}")
        if self.updated_after:
            parts.append(f"updated ≥ {self.updated_after:%Y-%m-%d}")
        order = "newest" if self.sort_order == "DESC" else "oldest"
        sort = "date" if self.sort_field == "JOB_DATE" else "status"
        parts.append(
            f"by {sort}, {order} first"
            if sort == "date"
            else f"by status {self.sort_order.lower()}"
        )
        return " · ".join(parts)


def haystack(job: ServiceJob) -> str:
    """What `/` searches: never the buyer's name, phone or street (masked on screen)."""
    scope = job.scope_of_work
    address = job.service_location.address if job.service_location else None
    parts: Iterable[object] = (
        job.service_job_id,
        status_label(job.service_job_status),
        scope.title if scope else "",
        scope.asin if scope else "",
        job.store_id,
        address.city if address else "",
        technicians(active_appointment(job)),
        job.service_order_id,
        " ".join(job.product_order_ids or []),
        " ".join(job.tracking_ids or []),
    )
    return " ".join(clean(p) for p in parts if p).lower()


def signature(job: ServiceJob) -> str:
    """Changes here are what a dispatcher should notice on refresh."""
    active = active_appointment(job)
    time = active.appointment_time if active else None
    return "|".join(
        str(x)
        for x in (
            job.service_job_status,
            active.appointment_id if active else "",
            time.start_time if time else "",
            technicians(active),
            len(job.appointments or []),
        )
    )


@dataclass
class JobFeed:
    client: ServicesClient
    filters: JobFilters = field(default_factory=JobFilters)
    page_size: int = PAGE_SIZE
    jobs: list[ServiceJob] = field(default_factory=list)
    total: int | None = None
    next_token: str | None = None
    started: bool = False
    _index: dict[str, int] = field(default_factory=dict)
    _hay: list[str] = field(default_factory=list)
    _marks: dict[str, str] = field(default_factory=dict)

    @property
    def exhausted(self) -> bool:
        return self.started and self.next_token is None

    def reset(self, filters: JobFilters | None = None) -> None:
        if filters is not None:
            self.filters = filters
        self.jobs, self._hay, self._index, self._marks = [], [], {}, {}
        self.total, self.next_token, self.started = None, None, False

    def _append(self, jobs: Iterable[ServiceJob]) -> list[ServiceJob]:
        added = []
        for job in jobs:
            job_id = str(job.service_job_id)
            if job_id in self._index:  # a job that moved between pages: keep one copy
                continue
            self._index[job_id] = len(self.jobs)
            self.jobs.append(job)
            self._hay.append(haystack(job))
            self._marks[job_id] = signature(job)
            added.append(job)
        return added

    async def load_next(self, now: datetime | None = None) -> list[ServiceJob]:
        """Fetch the next page; returns the jobs it added (none once exhausted)."""
        if self.exhausted:
            return []
        if not self.started:
            # Anchor once: a page token belongs to the exact query that produced it.
            self.filters = self.filters.anchored(now or datetime.now(UTC))
        query = self.filters.query()
        answer = await self.client.get_service_jobs(
            page_size=self.page_size, page_token=self.next_token, **query
        )
        listing = answer.payload
        self.started = True
        self.next_token = listing.next_page_token if listing else None
        if listing and listing.total_result_size is not None:
            self.total = listing.total_result_size
        return self._append(listing.jobs or [] if listing else [])

    def job(self, job_id: str) -> ServiceJob | None:
        index = self._index.get(job_id)
        return self.jobs[index] if index is not None else None

    def narrow(self, text: str) -> list[int]:
        """Indices of the loaded jobs whose every typed word appears in them."""
        words = text.lower().split()
        if not words:
            return list(range(len(self.jobs)))
        return [i for i, hay in enumerate(self._hay) if all(w in hay for w in words)]

    async def changes_since(self, since: datetime) -> tuple[list[str], list[str]]:
        """Fold in jobs updated since ``since``; returns (new ids, changed ids).

        Asks with lastUpdatedAfter (Amazon takes one anchor, so the created window is applied
        here), so a poll costs one small listing, not a reload of everything shown.
        """
        query = replace(
            self.filters, created_after=None, updated_after=since - WATCH_OVERLAP
        ).query()
        created_after = self.filters.created_after
        new: list[str] = []
        changed: list[str] = []
        async for job in self.client.iter_service_jobs(page_size=self.page_size, **query):
            job_id = str(job.service_job_id)
            if created_after and job.create_time and job.create_time < created_after:
                continue
            index = self._index.get(job_id)
            if index is None:
                new.append(job_id)
                self._insert_new(job)
            elif self._marks.get(job_id) != signature(job):
                changed.append(job_id)
                self.jobs[index] = job
                self._hay[index] = haystack(job)
                self._marks[job_id] = signature(job)
        if self.total is not None:
            self.total += len(new)
        return new, changed

    def _insert_new(self, job: ServiceJob) -> None:
        # Newest-first lists get new jobs on top; any other order gets them at the end.
        if self.filters.sort_field == "JOB_DATE" and self.filters.sort_order == "DESC":
            self.jobs.insert(0, job)
            self._hay.insert(0, haystack(job))
            self._index = {str(j.service_job_id): i for i, j in enumerate(self.jobs)}
            self._marks[str(job.service_job_id)] = signature(job)
        else:
            self._append([job])
