"""Bringing a store up to date with Amazon: by change, and now and then by a full walk.

- A store that was never filled, asked for a full refresh, or set to a longer window than it
  holds walks the creation window in slices (slices.py); a refresh then asks Amazon about each
  stored job of the window that the walk did not list, and removes only those Amazon answers 404
  for: a job is never guessed gone.
- Otherwise a sync asks getServiceJobs for ``lastUpdatedAfter`` = the previous finished sync's
  start minus ``OVERLAP``, one page chain of changes only, oldest first, and merges by job id.
- A sync point is recorded only when a sync finishes. An exception or a cancel halfway leaves
  what was stored (each page is its own transaction) and the old sync point, so the next sync
  asks again from there and reports everything since the last finished one.
- Closed jobs older than ``keep_closed_days`` are purged, and not added in the first place.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

from ..clock import utc_now
from ..feed import JobFilters
from .jobs import JobStore
from .slices import PAGE, Progress, WalkStats, walk_window

if TYPE_CHECKING:  # loaded when a sync runs, not when the store is opened and shown
    from sptui.spapi import ServicesClient
    from sptui.spapi.models import ServiceJob

OVERLAP = timedelta(minutes=5)
"""How far before the previous sync's start a sync asks for changes again. Two things make
"changed after the last start" miss changes: this machine's clock may run ahead of Amazon's (NTP
keeps servers within a second, but VMs and laptops drift by minutes), and a job updated while
the previous sync was paging, or not yet visible to Amazon's listing when it asked, was not in
its answer. Five minutes covers both with room to spare; the cost is a few jobs listed twice,
which merge by id and are not reported as changed."""

WINDOW_DAYS = 90
KEEP_CLOSED_DAYS = 90


Keep: TypeAlias = "Callable[[list[ServiceJob], datetime], Awaitable[None]]"


class AccountChanged(Exception):
    """The credentials now list another service provider's jobs than the store holds."""


@dataclass(frozen=True)
class SyncResult:
    started: datetime
    full: bool
    """The creation window was walked (a first fill or a full refresh)."""
    first: bool
    """The store had never finished a sync: every job is new, so none is reported as new."""
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    """Jobs whose status, appointment, time or technicians changed."""
    removed: list[str] = field(default_factory=list)
    purged: int = 0
    calls: int = 0
    """getServiceJobs (and, on a refresh, getServiceJobByServiceJobId) calls made."""
    fetched: int = 0
    """Jobs read (with repeats)."""
    rev: int = 0
    """The store's revision after this sync: a cursor for ``JobStore.changes_since``."""
    notes: list[str] = field(default_factory=list)
    walk: WalkStats | None = None


@dataclass
class _Tally:
    calls: int = 0
    fetched: int = 0


async def sync(
    store: JobStore,
    client: ServicesClient,
    *,
    window_days: int = WINDOW_DAYS,
    keep_closed_days: int = KEEP_CLOSED_DAYS,
    full: bool = False,
    progress: Callable[[Progress], None] | None = None,
    marketplace_id: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    chain_pages: int | None = None,
) -> SyncResult:
    """Bring ``store`` up to date; raises the client's errors (the store stays as it was, and
    nothing is recorded as synced)."""
    run = functools.partial(
        _sync,
        store,
        client,
        window_days=window_days,
        keep_closed_days=keep_closed_days,
        progress=progress,
        marketplace_id=marketplace_id,
        clock=clock,
        chain_pages=chain_pages,
    )
    try:
        return await run(full=full)
    except AccountChanged:
        await asyncio.to_thread(store.clear)
        result = await run(full=True)
        note = "these credentials now reach another account: the job store was started afresh"
        return replace(result, notes=[note, *result.notes])


async def _sync(
    store: JobStore,
    client: ServicesClient,
    *,
    window_days: int,
    keep_closed_days: int,
    full: bool,
    progress: Callable[[Progress], None] | None,
    marketplace_id: str | None,
    clock: Callable[[], datetime],
    chain_pages: int | None,
) -> SyncResult:
    started = clock()
    state = await asyncio.to_thread(store.state)
    first = state.synced is None
    providers = set() if first else await asyncio.to_thread(store.providers)
    drop_before = started - timedelta(days=keep_closed_days)
    tally = _Tally()

    async def keep(jobs: list[ServiceJob], asked: datetime) -> None:
        tally.fetched += len(jobs)
        if providers:
            theirs = {
                j.service_job_provider.service_job_provider_id
                for j in jobs
                if j.service_job_provider and j.service_job_provider.service_job_provider_id
            }
            if theirs - providers:
                raise AccountChanged
        await asyncio.to_thread(
            store.upsert, jobs, fetched_at=asked, drop_closed_before=drop_before
        )

    walk: WalkStats | None = None
    removed: list[str] = []
    walks = full or first or (state.window_days or 0) < window_days
    if walks:
        window_start = started - timedelta(days=window_days)
        walk = await walk_window(
            client,
            window_start,
            started,
            keep,
            marketplace_id=marketplace_id,
            progress=progress,
            chain_pages=chain_pages,
            clock=clock,
        )
        tally.calls += walk.calls
        window = JobFilters(created_after=window_start, created_before=started)
        unlisted = await asyncio.to_thread(store.ids, window)
        removed = await _confirm_gone(client, sorted(unlisted - walk.seen), keep, tally, clock)
        await asyncio.to_thread(store.remove, removed)
    else:
        assert state.synced is not None
        await _changes(client, state.synced - OVERLAP, keep, tally, marketplace_id, clock)
    purged = await asyncio.to_thread(store.purge, drop_before)
    changes = await asyncio.to_thread(
        store.mark_synced, started, full=walks, window_days=window_days if walks else None
    )
    return SyncResult(
        started=started,
        full=walks,
        first=first,
        new=changes.new,
        changed=changes.changed,
        removed=changes.removed,
        purged=purged,
        calls=tally.calls,
        fetched=tally.fetched,
        rev=changes.rev,
        walk=walk,
    )


async def _changes(
    client: ServicesClient,
    since: datetime,
    keep: Keep,
    tally: _Tally,
    marketplace_id: str | None,
    clock: Callable[[], datetime],
) -> None:
    """One chain of getServiceJobs pages of jobs updated after ``since``, oldest created first.

    No lastUpdatedBefore: a job updated while this chain pages would then leave the listing and
    shift the later pages past a job nobody changed. Without it the set only grows, and jobs
    created now land after the ones listed already.
    """
    from sptui.spapi.models import JobListing

    token: str | None = None
    tokens: set[str] = set()
    while True:
        asked = clock()
        answer = await client.get_service_jobs(
            last_updated_after=since,
            sort_field="JOB_DATE",
            sort_order="ASC",
            page_size=PAGE,
            page_token=token,
            marketplace_id=marketplace_id,
        )
        tally.calls += 1
        listing = answer.payload or JobListing()
        await keep([j for j in listing.jobs or [] if j.service_job_id], asked)
        token = listing.next_page_token
        if not token or token in tokens:
            return
        tokens.add(token)


async def _confirm_gone(
    client: ServicesClient,
    job_ids: list[str],
    keep: Keep,
    tally: _Tally,
    clock: Callable[[], datetime],
) -> list[str]:
    """Of stored jobs a full walk did not list, those Amazon says it does not know (404).

    A job it still answers for is merged (it was missed, perhaps shifted between pages while the
    walk paged); any other error leaves the job as it is: nothing is guessed.
    """
    from sptui.spapi import NotFoundError, SpApiError

    gone: list[str] = []
    for job_id in job_ids:
        asked = clock()
        try:
            answer = await client.get_service_job_by_service_job_id(job_id)
        except NotFoundError:
            gone.append(job_id)
            continue
        except SpApiError as error:
            if error.status not in (400, 403, 422):
                raise  # the connection, the server or the login: the sync stops, as a walk would
            continue
        finally:
            tally.calls += 1
        if answer.payload is not None:
            await keep([answer.payload], asked)
    return gone
