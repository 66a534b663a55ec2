"""The jobs a screen shows: fetched a page at a time, narrowed as you type, merged on refresh.

Headless on purpose (no Textual here): the paging, narrowing and change detection are tested and
benchmarked without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from .formatting import status_label
from .summary import JobSummary, summarize

if TYPE_CHECKING:  # JobFilters is needed before the API layer is loaded
    from sptui.spapi import ServicesClient
    from sptui.spapi.models import ServiceJob

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
    scheduled_after: datetime | None = None
    scheduled_before: datetime | None = None
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
            "schedule_start_date": self.scheduled_after,
            "schedule_end_date": self.scheduled_before,
            "sort_field": self.sort_field,
            "sort_order": self.sort_order,
        }
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in pairs.items() if v}

    def describe(self, *, sort: bool = True) -> str:
        """The filters in words; ``sort=False`` leaves the order out (the console's own sorts
        outnumber Amazon's two)."""
        parts = []
        if self.statuses:
            # as the list words them ('To schedule', not 'pending schedule'), symbols aside
            words = (status_label(s).split(" ", 1)[-1] for s in self.statuses)
            parts.append("status " + "/".join(words))
        for label, values in (
            ("ASIN", self.asins),
            ("store", self.store_ids),
            ("skill", self.skills),
            ("order", self.service_order_ids + self.product_order_ids),
            ("tracking", self.tracking_ids),
        ):
            if values:
                parts.append(f"{label} {','.join(values)}")
        for label, start, end in (
            ("created", self.created_after, self.created_before),
            ("updated", self.updated_after, self.updated_before),
            ("scheduled", self.scheduled_after, self.scheduled_before),
        ):
            if start and end:
                parts.append(f"{label} {_day(start)} to {_day(end)}")
            elif start:
                parts.append(f"{label} ≥ {_day(start)}")
            elif end:
                parts.append(f"{label} until {_day(end)}")
        if not sort:
            return " · ".join(parts)
        order = "newest" if self.sort_order == "DESC" else "oldest"
        by = "date" if self.sort_field == "JOB_DATE" else "status"
        parts.append(
            f"by {by}, {order} first" if by == "date" else f"by status {self.sort_order.lower()}"
        )
        return " · ".join(parts)


def _day(moment: datetime) -> str:
    """A filter's bound on the summary line: the day is enough there (the store's own window
    starts at this minute 90 days ago, which would read as noise)."""
    return f"{moment:%Y-%m-%d}"


@dataclass
class JobFeed:
    client: ServicesClient
    filters: JobFilters = field(default_factory=JobFilters)
    zone: tzinfo | None = None
    page_size: int = PAGE_SIZE
    jobs: list[JobSummary] = field(default_factory=list)
    total: int | None = None
    next_token: str | None = None
    started: bool = False
    _index: dict[str, int] = field(default_factory=dict)
    technicians: dict[str, str] = field(default_factory=dict)
    """Technician id -> name, from every job seen (Amazon has no call that lists them)."""
    offerings: dict[tuple[str, str], str] = field(default_factory=dict)
    """(ASIN, store id) -> service title, from every job seen: what the slot finder offers."""
    seen: Callable[[ServiceJob], None] | None = None
    """Told of every job listed (the desk learns who serves which store from them)."""

    @property
    def exhausted(self) -> bool:
        return self.started and self.next_token is None

    def reset(self, filters: JobFilters | None = None) -> None:
        if filters is not None:
            self.filters = filters
        self.jobs, self._index = [], {}
        self.total, self.next_token, self.started = None, None, False

    def _append(self, jobs: Iterable[ServiceJob]) -> list[JobSummary]:
        added = []
        for job in jobs:
            self.note_job(job)
            summary = summarize(job, self.zone)
            if summary.job_id in self._index:  # a job that moved between pages: keep one copy
                continue
            self._index[summary.job_id] = len(self.jobs)
            self.jobs.append(summary)
            added.append(summary)
        return added

    async def load_next(self, now: datetime | None = None) -> list[JobSummary]:
        """Fetch the next page; returns the jobs it added (none once exhausted)."""
        if self.exhausted:
            return []
        if not self.started:
            # Anchor once: a page token belongs to the exact query that produced it.
            self.filters = self.filters.anchored(now or datetime.now(UTC))
        answer = await self.client.get_service_jobs(
            page_size=self.page_size, page_token=self.next_token, **self.filters.query()
        )
        listing = answer.payload
        self.started = True
        self.next_token = listing.next_page_token if listing else None
        if listing and listing.total_result_size is not None:
            self.total = listing.total_result_size
        return self._append(listing.jobs or [] if listing else [])

    def note_job(self, job: ServiceJob) -> None:
        """Remember the technicians and the services (ASIN at a store) this job shows."""
        scope = job.scope_of_work
        if scope and scope.asin and job.store_id:
            self.offerings.setdefault((scope.asin, job.store_id), scope.title or scope.asin)
        for appointment in job.appointments or []:
            for tech in appointment.assigned_technicians or []:
                if tech.technician_id:
                    self.technicians[tech.technician_id] = tech.name or tech.technician_id
        if self.seen is not None:
            self.seen(job)

    def replace(self, job: ServiceJob) -> JobSummary:
        """Put a freshly read job in place of its old summary (after a write)."""
        summary = summarize(job, self.zone)
        index = self._index.get(summary.job_id)
        if index is not None:
            self.jobs[index] = summary
        return summary

    def job(self, job_id: str) -> JobSummary | None:
        index = self._index.get(job_id)
        return self.jobs[index] if index is not None else None

    def narrow(self, text: str) -> list[int]:
        """Indices of the loaded jobs in which every typed word appears."""
        words = text.lower().split()
        if not words:
            return list(range(len(self.jobs)))
        return [i for i, job in enumerate(self.jobs) if all(w in job.haystack for w in words)]

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
            if created_after and job.create_time and job.create_time < created_after:
                continue
            self.note_job(job)
            summary = summarize(job, self.zone)
            index = self._index.get(summary.job_id)
            if index is None:
                new.append(summary.job_id)
                self._insert_new(summary)
            elif self.jobs[index].signature != summary.signature:
                changed.append(summary.job_id)
                self.jobs[index] = summary
        if self.total is not None:
            self.total += len(new)
        return new, changed

    def _insert_new(self, summary: JobSummary) -> None:
        # Newest-first lists get new jobs on top; any other order gets them at the end.
        if self.filters.sort_field == "JOB_DATE" and self.filters.sort_order == "DESC":
            self.jobs.insert(0, summary)
            self._index = {j.job_id: i for i, j in enumerate(self.jobs)}
        else:
            self._index[summary.job_id] = len(self.jobs)
            self.jobs.append(summary)
