"""From the console's filters, sort and `/` text to one SQL query over the stored jobs.

The `/` narrowing keeps the console's rule: every typed word must appear, case-insensitively, in
the row's visible cells or its ids (a substring, not a word prefix: "ount" finds "Mounting").
It is ``instr`` over a lowered ``search`` column kept in a covering index with every sort key
(schema.py), not SQLite FTS5. Measured on 100,000 stored jobs (bench/store_search.py, 44
keystrokes of seven typed searches, each the count plus the first page of 50, on a shared
2-core machine): ``instr`` took a median of 35 ms and at worst 72 ms per keystroke (65 / 82 ms
sorted by appointment or technician); an FTS5 trigram index took 57 ms and at worst 240 ms. The
index wins only on rare words of three letters or more; the first letter or two of a search (no
trigram yet) and common words (every match must be collected to count and sort them) cost it
more than a scan of the covering index. ``instr`` also keeps the exact substring rule for one-
and two-letter words, needs no second copy of the text (FTS5 added 60 MB to 290), and works
where Python's SQLite is built without FTS5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from ..feed import JobFilters
from .rows import to_ms


class SortKey(StrEnum):
    CREATED = "created"
    STATUS = "status"
    APPOINTMENT = "appointment"
    TECHNICIAN = "technician"


@dataclass(frozen=True)
class Sort:
    key: SortKey = SortKey.CREATED
    descending: bool = True

    @classmethod
    def of(cls, filters: JobFilters) -> Sort:
        """The sort the console's filters ask Amazon for (JOB_DATE / JOB_STATUS)."""
        key = SortKey.STATUS if filters.sort_field == "JOB_STATUS" else SortKey.CREATED
        return cls(key, filters.sort_order != "ASC")

    def order_by(self) -> str:
        way = "DESC" if self.descending else "ASC"
        # Rows without an appointment or a technician go last either way; ties fall back on
        # the newest job first, then the id, so that paging is stable.
        if self.key is SortKey.STATUS:
            return f"status {way}, created {way}, job_id {way}"
        if self.key is SortKey.APPOINTMENT:
            return f"appt_start IS NULL, appt_start {way}, created DESC, job_id DESC"
        if self.key is SortKey.TECHNICIAN:
            return (
                f"technician IS NULL, technician COLLATE NOCASE {way}, appt_start IS NULL, "
                "appt_start ASC, created DESC, job_id DESC"
            )
        return f"created {way}, job_id {way}"

    def describe(self) -> str:
        """In words, for the line above the list ("by date, newest first")."""
        if self.key is SortKey.STATUS:
            return "by status " + ("Z-A" if self.descending else "A-Z")
        if self.key is SortKey.APPOINTMENT:
            return "by appointment, " + ("latest first" if self.descending else "soonest first")
        if self.key is SortKey.TECHNICIAN:
            return "by technician " + ("Z-A" if self.descending else "A-Z")
        return "by date, " + ("newest first" if self.descending else "oldest first")


SORTS = (
    Sort(SortKey.CREATED, True),
    Sort(SortKey.CREATED, False),
    Sort(SortKey.STATUS, False),
    Sort(SortKey.STATUS, True),
    Sort(SortKey.APPOINTMENT, False),
    Sort(SortKey.APPOINTMENT, True),
    Sort(SortKey.TECHNICIAN, False),
    Sort(SortKey.TECHNICIAN, True),
)
"""Every order the store can list in, as the console's sort key steps through them."""


def words(text: str) -> list[str]:
    """What `/` matches: each whitespace-separated word, lowered as the console lowers it."""
    return text.lower().split()


_LISTS = (
    ("statuses", "status"),
    ("asins", "asin"),
    ("store_ids", "store_id"),
    ("service_order_ids", "service_order_id"),
)
_KEYS = (("skills", "skill"), ("product_order_ids", "product_order"), ("tracking_ids", "tracking"))
_RANGES = (
    ("created_after", "created", ">="),
    ("created_before", "created", "<="),
    ("updated_after", "updated", ">="),
    ("updated_before", "updated", "<="),
    ("scheduled_after", "appt_start", ">="),
    ("scheduled_before", "appt_start", "<="),
)


def where(filters: JobFilters | None, text: str = "") -> tuple[str, list[Any]]:
    """A WHERE clause (or "") and its parameters, as Amazon's getServiceJobs reads the filters:
    several values of one filter match any of them; different filters must all match."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters is not None:
        for name, column in _LISTS:
            values = getattr(filters, name)
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += list(values)
        for name, kind in _KEYS:
            values = getattr(filters, name)
            if values:
                marks = ", ".join("?" * len(values))
                keyed = f"SELECT job_id FROM job_keys WHERE kind = ? AND value IN ({marks})"  # noqa: S608
                clauses.append(f"job_id IN ({keyed})")
                params += [kind, *values]
        for name, column, op in _RANGES:
            moment: datetime | None = getattr(filters, name)
            if moment is not None:
                clauses.append(f"{column} {op} ?")
                params.append(to_ms(moment))
    for word in words(text):
        clauses.append("instr(search, ?) > 0")
        params.append(word)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
