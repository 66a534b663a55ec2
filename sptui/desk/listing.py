"""The jobs list as a window onto the job store: what a screen shows, a page at a time.

The list never holds every row. It asks the store for the page a line on screen falls in (a
few pages are kept), and for how many rows match. Filters, sort and `/` text are all one SQL
query (store/query.py), so narrowing and filtering see every stored job, not only those paged
so far.

Counting is the slow part of a `/` keystroke on a big store (every row's text is looked at,
some 30 ms per 100,000 jobs), and the first page rarely is (the newest rows that match come
first in the index). So a change of query loads the first page at once and leaves the count to
``tally()``, which a screen runs on a thread of its own against a ``reader`` connection; until
it answers, the list is as long as what the first page showed. A first page shorter than a page
is its own count.

Headless (no Textual): the console drives it, tests and benchmarks use it directly.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import overload

from .clock import utc_now
from .feed import JobFilters
from .store.jobs import JobStore
from .store.query import Sort
from .summary import JobSummary

PAGE = 100
KEPT_PAGES = 8
"""Pages held at once: a screen of 48 lines spans at most two; the rest serve paging back."""


@dataclass(frozen=True)
class Query:
    filters: JobFilters = field(default_factory=JobFilters)
    sort: Sort = field(default_factory=Sort)
    text: str = ""


class StoredJobs(Sequence[JobSummary]):
    """The stored jobs that match a query, in its order, read a page at a time."""

    def __init__(self, store: JobStore, *, window_days: int | None = None) -> None:
        self.store = store
        self.window_days = window_days
        """Jobs created this many days back are listed unless the filters say otherwise."""
        self.query = Query()
        self.total: int | None = None
        """How many rows match; None until counted."""
        self.generation = 0
        """Bumped by every change of query or of what is stored: a count answers for one."""
        self._pages: OrderedDict[int, list[JobSummary]] = OrderedDict()
        self._reader: JobStore | None = None
        self._now = utc_now()
        self._known = 0
        """Rows known to match before the count answers: the first page's."""

    # ---- choosing what to list ---------------------------------------------------------
    def effective(self, now: datetime) -> JobFilters:
        """The filters as the store reads them: the store's creation window unless the user
        set a created or updated date (the list covers what the store covers, and says so)."""
        filters = self.query.filters
        if filters.created_after or filters.updated_after or not self.window_days:
            return filters
        return replace(filters, created_after=now - timedelta(days=self.window_days))

    def select(
        self,
        now: datetime,
        *,
        filters: JobFilters | None = None,
        sort: Sort | None = None,
        text: str | None = None,
    ) -> None:
        """List by another query (what is not given stays); the first page is read at once."""
        self.query = Query(
            self.query.filters if filters is None else filters,
            self.query.sort if sort is None else sort,
            self.query.text if text is None else text.strip(),
        )
        self.refresh(now)

    def refresh(self, now: datetime) -> None:
        """Read again after the store changed (a sync, a write read back): same query."""
        self._now = now
        self.generation += 1
        self._pages.clear()
        self.total = None
        first = self._page(0)
        self._known = len(first)
        if len(first) < PAGE:
            self.total = len(first)

    # ---- counting ----------------------------------------------------------------------
    def tally(self) -> tuple[int, int] | None:
        """(generation, matches) for the current query, or None if it was interrupted.
        Blocking: run it on a thread; ``counted`` takes the answer back."""
        generation = self.generation
        if self._reader is None:
            self._reader = self.store.reader()
        try:
            total = self._reader.count(self._filters(), self.query.text)
        except sqlite3.Error:
            return None  # interrupted by a newer query, or the store closed under it
        return generation, total

    def interrupt(self) -> None:
        """Stop a count in flight (its query is no longer the list's)."""
        if self._reader is not None and self._reader is not self.store:
            self._reader.interrupt()

    def counted(self, answer: tuple[int, int] | None) -> bool:
        """Take a ``tally``'s answer; False if it was for an older query or store."""
        if answer is None or answer[0] != self.generation:
            return False
        self.total = answer[1]
        return True

    # ---- reading -----------------------------------------------------------------------
    def _filters(self) -> JobFilters:
        return self.effective(self._now)

    def _page(self, number: int) -> list[JobSummary]:
        page = self._pages.get(number)
        if page is None:
            page = self.store.query(
                self._filters(), self.query.sort, self.query.text, number * PAGE, PAGE
            )
            self._pages[number] = page
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def __len__(self) -> int:
        return self._known if self.total is None else self.total

    @overload
    def __getitem__(self, index: int) -> JobSummary: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[JobSummary]: ...

    def __getitem__(self, index: int | slice) -> JobSummary | Sequence[JobSummary]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        page = self._page(index // PAGE)
        offset = index % PAGE
        if not 0 <= offset < len(page):
            raise IndexError(index)
        return page[offset]

    def __iter__(self) -> Iterator[JobSummary]:
        for i in range(len(self)):
            yield self[i]

    def find(self, job_id: str) -> int | None:
        """Where a job stands in the list: from the pages held, else asked of the store."""
        for number, page in self._pages.items():
            for offset, job in enumerate(page):
                if job.job_id == job_id:
                    return number * PAGE + offset
        return self.store.position(job_id, self._filters(), self.query.sort, self.query.text)

    def describe(self) -> str:
        """The filters and the order in words, for the line above the list."""
        shown = self._filters()
        parts = [p for p in (shown.describe(sort=False), self.query.sort.describe()) if p]
        return " · ".join(parts)

    def close(self) -> None:
        self.interrupt()


def summaries(store: JobStore, job_ids: Sequence[str]) -> list[JobSummary]:
    """The stored list rows of these jobs (those stored), in the order given."""
    found = (store.summary(j) for j in job_ids)
    return [s for s in found if s is not None]
