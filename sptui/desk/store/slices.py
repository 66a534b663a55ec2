"""Walking a creation window in slices at once, so that a fill is bound by the usage plan.

getServiceJobs pages are chained by tokens: one chain of P pages takes P round trips whatever
the plan allows (2,000 jobs at 400 ms a call: 40 s, where the plan allows 6). Slices of the
window, each its own chain, run side by side and the client's token bucket paces them all.

How the window is cut:

- The first call asks for the whole window. Its ``totalResultSize`` and how long it took say how
  long a chain may be: about half of what the plan will take anyway, in round trips. A window
  that fits in one such chain is simply walked on (no call wasted).
- A slice with more jobs than that is split into as many slices as it needs. Its first page is
  kept (it shows at once; a child fetches those jobs again, and merging by id keeps one row).
  The page's creation times also place the first cut: listed oldest first, the page holds every
  job before the second of its newest, so the first slice ends there (one call lists it again)
  and the empty start of a window costs nothing. Nothing depends on that order for
  correctness: every instant of the window still belongs to exactly one slice.
- ``createdAfter`` and ``createdBefore`` are both inclusive ("at or after", "at or before" in
  Amazon's model; the simulator agrees). Slices start on a whole second and end 1 ms before the
  next one starts, so they meet without overlapping: no job is listed by two slices or missed
  between them, also when its createTime has milliseconds (Amazon's own example has .952).
- A slice inside one second cannot be cut again: however many jobs share that second, it is
  walked as one chain.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, TypeAlias

from ..clock import utc_now
from .rows import from_ms, storable, to_ms

if TYPE_CHECKING:  # loaded when a walk runs, not when the store is opened and shown
    from sptui.spapi import ServicesClient
    from sptui.spapi.models import JobListing, ServiceJob

PAGE = 20
SECOND = 1000
MIN_CHAIN = 2
"""The shortest chain worth its split: each split costs one call."""
SPLIT_SLACK = 1.5
"""A slice up to this many times the chain length is walked rather than split."""
CHAIN_SHARE = 0.8
CHAIN_FLOOR_S = 2.0
CONCURRENCY = 32
"""Calls in flight at most; the token bucket decides how many are actually sent."""


@dataclass(frozen=True)
class Progress:
    fetched: int
    """Distinct jobs read so far."""
    expected: int | None
    """Jobs in the window, from Amazon's first answer."""
    calls: int


OnPage: TypeAlias = "Callable[[list[ServiceJob], datetime], Awaitable[None]]"
"""Called with each page's jobs and when the page was asked for."""


@dataclass
class WalkStats:
    calls: int = 0
    splits: int = 0
    chains: int = 0
    expected: int | None = None
    chain_pages: int | None = None
    seen: set[str] = field(default_factory=set)
    listed: Counter[str] = field(default_factory=Counter)
    """How many times the slices that were walked (not split) listed each job: once each."""


@dataclass(frozen=True)
class Slice:
    start: int
    """Milliseconds, inclusive, on a whole second."""
    end: int
    """Milliseconds, inclusive."""

    @property
    def divisible(self) -> bool:
        return self.end - self.start >= SECOND

    def cut(self, parts: int, listed_to: int | None, *, hot: bool = False) -> list[Slice]:
        """``parts`` slices of equal length, after a leading slice up to the second of
        ``listed_to`` (the newest job of the first page) when that is later than the start.

        ``hot``: the first page was all one second, which may hold many more; that second
        becomes a slice of its own, so finding it takes one cut, not one per halving.
        """
        lead = self.start
        slices = []
        if listed_to is not None:
            lead = max(self.start, min(self.end, listed_to) // SECOND * SECOND)
            if lead > self.start:
                slices.append(Slice(self.start, lead - 1))
        if hot:
            slices.append(Slice(lead, min(self.end, lead + SECOND - 1)))
            lead += SECOND
            if lead > self.end:
                return slices
        width = self.end - lead + 1
        cuts = sorted(
            {lead + (i * width // parts) // SECOND * SECOND for i in range(1, parts)} - {lead}
        )
        edges = [lead, *[c for c in cuts if c <= self.end]]
        slices += [Slice(a, b - 1) for a, b in pairwise(edges)]
        slices.append(Slice(edges[-1], self.end))
        return slices


def _first(group: BaseExceptionGroup[BaseException]) -> BaseException:
    inner = group.exceptions[0]
    return _first(inner) if isinstance(inner, BaseExceptionGroup) else inner


def chain_length(total: int, latency: float, tokens: float, rate: float) -> int:
    """How many pages one chain may take, so that the chains are done about when the plan lets
    the last call through: ``CHAIN_SHARE`` of the plan's time for ``total`` jobs, in round trips,
    and at least ``CHAIN_FLOOR_S`` (a window that fits in the burst is not cut into one-page
    slices: each cut costs calls, and a second of waiting is not worth them)."""
    pages = math.ceil(total / PAGE)
    plan = max(0.0, pages - tokens) / rate
    if latency <= 0:
        return max(MIN_CHAIN, pages)
    return max(MIN_CHAIN, int(max(plan * CHAIN_SHARE, CHAIN_FLOOR_S) / latency))


async def walk_window(
    client: ServicesClient,
    start: datetime,
    end: datetime,
    on_page: OnPage,
    *,
    marketplace_id: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    chain_pages: int | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> WalkStats:
    """List every job created from ``start`` to ``end`` (both inclusive), slices at once.

    ``chain_pages`` fixes the chain length (tests); by default it follows the first answer.
    """
    from sptui.spapi.models import JobListing

    stats = WalkStats(chain_pages=chain_pages)
    gate = asyncio.Semaphore(CONCURRENCY)
    bucket = client.limiter.bucket("getServiceJobs")

    first = to_ms(start) // SECOND * SECOND
    top = max(first, to_ms(end))

    async def fetch(piece: Slice, token: str | None) -> tuple[JobListing, datetime, float]:
        async with gate:
            asked = clock()
            began = time.monotonic()
            answer = await client.get_service_jobs(
                created_after=from_ms(piece.start),
                # The newest slice is left open: no createdBefore in Amazon's future when this
                # machine's clock runs ahead, and a job created meanwhile is simply listed too.
                created_before=from_ms(piece.end) if piece.end < top else None,
                sort_field="JOB_DATE",
                sort_order="ASC",
                page_size=PAGE,
                page_token=token,
                marketplace_id=marketplace_id,
            )
            took = time.monotonic() - began
            stats.calls += 1
        return answer.payload or JobListing(), asked, took

    async def take(listing: JobListing, asked: datetime, walked: bool) -> None:
        jobs = [j for j in listing.jobs or [] if j.service_job_id]
        for job in jobs:
            job_id = storable(str(job.service_job_id))  # as the store keys it
            stats.seen.add(job_id)
            if walked:
                stats.listed[job_id] += 1
        await on_page(jobs, asked)
        if progress is not None:
            progress(Progress(len(stats.seen), stats.expected, stats.calls))

    async def walk(piece: Slice) -> None:
        listing, asked, took = await fetch(piece, None)
        total = listing.total_result_size or 0
        if stats.expected is None:  # the first answer: the whole window
            stats.expected = total
            if stats.chain_pages is None:
                stats.chain_pages = chain_length(total, took, bucket.tokens, bucket.rate)
        limit = (stats.chain_pages or MIN_CHAIN) * PAGE
        if total > limit * SPLIT_SLACK and piece.divisible:
            await take(listing, asked, walked=False)
            stats.splits += 1
            times = [to_ms(j.create_time) for j in listing.jobs or [] if j.create_time]
            hot = len(times) >= PAGE and min(times) // SECOND == max(times) // SECOND
            parts = max(2, math.ceil(total / limit))
            children = piece.cut(parts, max(times) if times else None, hot=hot)
            try:
                async with asyncio.TaskGroup() as group:
                    for child in children:
                        group.create_task(walk(child))
            except BaseExceptionGroup as failed:
                # The first failure, as itself: callers catch the client's typed errors.
                raise _first(failed) from None
            return
        stats.chains += 1
        await take(listing, asked, walked=True)
        tokens = set()
        token = listing.next_page_token
        while token and token not in tokens:
            tokens.add(token)
            listing, asked, _ = await fetch(piece, token)
            await take(listing, asked, walked=True)
            token = listing.next_page_token

    await walk(Slice(first, top))
    return stats
