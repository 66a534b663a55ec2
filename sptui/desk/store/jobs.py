"""JobStore: the narrow protocol between sptui and its SQLite job store.

Flows and screens ask it (``query``, ``count``, ``get``, ``summary``) and feed it (``upsert``,
``remove``, ``purge``); none of them touches ``sqlite3``. Every method is blocking and short; call
it through ``asyncio.to_thread`` from the event loop (sync.py does). One connection per store,
used by one thread at a time (a lock serialises the methods), as sqlite3 requires; another
process opens its own, and WAL lets it read while this one writes.

Writes run in ``BEGIN IMMEDIATE`` transactions (the write lock is taken up front, so two writers
queue on the busy timeout instead of failing to upgrade a read lock), and a stale answer never
overwrites a newer one: each row remembers when the page it came from was asked for.

Revisions: every write transaction that adds a job or changes what a dispatcher would notice
(status, appointment, time, technicians: ``JobSummary.signature``) takes the next revision number;
rows remember the revision that added them and the one that last changed them. ``changes_since``
answers "what is new or changed after revision N", so any reader can keep its own cursor.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..feed import JobFilters
from ..summary import JobSummary
from .query import Sort, where, words
from .rows import (
    CLOSED,
    SUMMARY_COLUMNS,
    JobRow,
    from_ms,
    job_of,
    row_of,
    search_text,
    summary_of,
    to_ms,
)
from .schema import migrate

if TYPE_CHECKING:  # a store is opened and read before the models are loaded
    from sptui.spapi.models import ServiceJob

BUSY_TIMEOUT_S = 30.0
"""How long a write waits for another process's transaction before giving up."""

_T = TypeVar("_T")


@dataclass(frozen=True)
class Upserted:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    """Jobs whose status, appointment, time or technicians changed."""
    quiet: int = 0
    """Jobs changed in ways a dispatcher would not notice (a tracking id, a proof upload)."""
    stale: int = 0
    """Answers older than what the store already had (another process got there later)."""
    skipped: int = 0
    """Jobs closed longer ago than the store keeps them."""


@dataclass(frozen=True)
class Changes:
    new: list[str]
    changed: list[str]
    removed: list[str]
    rev: int
    """The revision these changes bring the reader to: pass it next time."""


@dataclass(frozen=True)
class SyncState:
    synced: datetime | None
    """When the last finished sync started (its changes are in); None: never filled."""
    full: datetime | None
    """When the last finished full walk of the window (a first fill or a refresh) started."""
    window_days: int | None
    """The creation window of the last full walk."""
    rev: int
    synced_rev: int


def _meta_time(value: str | None) -> datetime | None:
    return from_ms(int(value)) if value else None


class JobStore:
    """The jobs of one profile, stored. Open with ``location.open_store`` (or ``memory()``)."""

    def __init__(
        self, conn: sqlite3.Connection, *, zone: tzinfo | None = None, adopt_zone: bool = True
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.zone = zone
        self.notes: list[str] = []
        """What opening it had to do that a person should hear of (a damaged file moved aside)."""
        self.path: Path | None = None
        self._on_close: list[Callable[[], None]] = []
        self.writes = 0
        """Changes committed through this connection: a view that read before compares it."""
        migrate(conn)
        if adopt_zone:
            self._adopt_zone(zone)
        else:
            # Keep the zone the search text was written in (a cron job in UTC must not rewrite
            # every row the console wrote in the dispatcher's zone, nor the other way round).
            self.zone = zone_of(self._read(lambda c: self._meta(c, "zone")), zone)

    # ---- opening and closing -----------------------------------------------------------
    @classmethod
    def memory(cls, *, zone: tzinfo | None = None) -> JobStore:
        """A store that lives in this connection only (tests)."""
        return cls(connect(":memory:"), zone=zone)

    def reader(self) -> JobStore:
        """Another connection to the same file, for long reads in a thread of their own (a
        count while the list is typed into): it neither waits for this one's lock nor holds it,
        and ``interrupt`` can stop it without touching a write on this one. A store in memory
        has no file to share: it answers itself."""
        if self.path is None:
            return self
        other = JobStore(connect(self.path), zone=self.zone, adopt_zone=False)
        other.path = self.path
        self.on_close(other.close)
        return other

    def interrupt(self) -> None:
        """Stop what this connection is running now (it raises ``sqlite3.OperationalError``).
        Safe from any thread; use it only on a ``reader``, never on a store that writes."""
        self._conn.interrupt()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            for hook in reversed(self._on_close):  # what was added last goes first
                hook()
            self._on_close.clear()

    def on_close(self, hook: Callable[[], None]) -> None:
        self._on_close.append(hook)

    def __enter__(self) -> JobStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            self.writes += 1

    def _read(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        with self._lock:
            return work(self._conn)

    def read(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run a read of its own (a view's query) under the store's lock."""
        return self._read(work)

    # ---- meta --------------------------------------------------------------------------
    @staticmethod
    def _meta(conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, key: str, value: object) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, str(value)),
        )

    def _adopt_zone(self, zone: tzinfo | None) -> None:
        """Write the scheduled cell of every row in this zone, if it was written in another."""
        name = zone_name(zone)
        if self._read(lambda c: self._meta(c, "zone")) == name:
            return
        with self._write() as conn:
            rows = conn.execute("SELECT job_id, haystack, appt_start FROM jobs").fetchall()
            conn.executemany(
                "UPDATE jobs SET search = ? WHERE job_id = ?",
                [(search_text(text, start, zone), job_id) for job_id, text, start in rows],
            )
            self._set_meta(conn, "zone", name)

    def state(self) -> SyncState:
        def read(conn: sqlite3.Connection) -> SyncState:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            return SyncState(
                synced=_meta_time(meta.get("synced")),
                full=_meta_time(meta.get("full")),
                window_days=int(meta["window_days"]) if "window_days" in meta else None,
                rev=int(meta.get("rev", 0)),
                synced_rev=int(meta.get("synced_rev", 0)),
            )

        return self._read(read)

    def providers(self) -> set[str]:
        """The service providers whose jobs these are (the account the credentials reach)."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT DISTINCT provider FROM jobs WHERE provider IS NOT NULL"
            ).fetchall()
        )
        return {r[0] for r in rows}

    # ---- writing -----------------------------------------------------------------------
    def upsert(
        self,
        jobs: Iterable[ServiceJob],
        *,
        fetched_at: datetime | None = None,
        drop_closed_before: datetime | None = None,
    ) -> Upserted:
        """Merge jobs read from Amazon by id (never a second row for a job).

        ``fetched_at`` is when the page was asked for: an answer older than the stored one is
        ignored. A job not stored yet that closed before ``drop_closed_before`` is not added.
        """
        fetched = fetched_at or datetime.now(UTC)
        built = (row_of(job, fetched) for job in jobs if job.service_job_id)
        rows = [row for row in built if row.job_id]  # an id of lone surrogates only: none
        return self.upsert_rows(rows, fetched_at=fetched, drop_closed_before=drop_closed_before)

    def upsert_rows(
        self,
        rows: Sequence[JobRow],
        *,
        fetched_at: datetime,
        drop_closed_before: datetime | None = None,
    ) -> Upserted:
        """``upsert`` for rows already built (bulk loads and benchmarks build them once)."""
        fetched = to_ms(fetched_at)
        drop_before = to_ms(drop_closed_before) if drop_closed_before else None
        new: list[str] = []
        changed: list[str] = []
        quiet = stale = skipped = 0
        with self._write() as conn:
            rev = int(self._meta(conn, "rev") or 0) + 1
            for row in rows:
                old = conn.execute(
                    "SELECT status, signature, digest, fetched, closed, first_rev, rev "
                    "FROM jobs WHERE job_id = ?",
                    (row.job_id,),
                ).fetchone()
                closed_guess = row.evidence if row.status in CLOSED else None
                if old is None:
                    too_old = closed_guess is not None and drop_before is not None
                    if too_old and closed_guess < drop_before:  # type: ignore[operator]
                        skipped += 1
                        continue
                    updated = row.evidence if row.evidence is not None else fetched
                    self._put(conn, row, fetched, updated, closed_guess, rev, rev)
                    new.append(row.job_id)
                    continue
                status, signature, digest, old_fetched, closed, first_rev, old_rev = old
                if fetched < old_fetched:
                    stale += 1
                elif digest == row.digest:
                    conn.execute(
                        "UPDATE jobs SET fetched = ? WHERE job_id = ?", (fetched, row.job_id)
                    )
                else:
                    if row.status not in CLOSED:
                        closed = None
                    elif status not in CLOSED:
                        closed = fetched  # it closed since the store last looked
                    noticed = signature != row.signature
                    self._put(
                        conn, row, fetched, fetched, closed, first_rev, rev if noticed else old_rev
                    )
                    if noticed:
                        changed.append(row.job_id)
                    else:
                        quiet += 1
            if new or changed:
                self._set_meta(conn, "rev", rev)
        return Upserted(new, changed, quiet, stale, skipped)

    def _put(
        self,
        conn: sqlite3.Connection,
        row: JobRow,
        fetched: int,
        updated: int,
        closed: int | None,
        first_rev: int,
        rev: int,
    ) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO jobs (job_id, marketplace, status, created, updated, closed, "
            "fetched, title, asin, store_id, city, service_order_id, appt_start, technician, "
            "provider, cells, haystack, search, signature, document, digest, first_rev, rev) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.job_id,
                row.marketplace,
                row.status,
                row.created,
                updated,
                closed,
                fetched,
                row.title,
                row.asin,
                row.store_id,
                row.city,
                row.service_order_id,
                row.appt_start,
                row.technician,
                row.provider,
                row.cells,
                row.haystack,
                search_text(row.haystack, row.appt_start, self.zone),
                row.signature,
                row.document,
                row.digest,
                first_rev,
                rev,
            ),
        )
        self._forget_parts(conn, [row.job_id])
        conn.execute("DELETE FROM removed WHERE job_id = ?", (row.job_id,))
        conn.executemany(
            "INSERT INTO job_keys (kind, value, job_id) VALUES (?, ?, ?)",
            [(kind, value, row.job_id) for kind, value in row.keys],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO appointments "
            "(job_id, appointment_id, status, start, minutes, rescheduled_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(row.job_id, *appointment) for appointment in row.appointments],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO crew (job_id, appointment_id, technician_id, name) "
            "VALUES (?, ?, ?, ?)",
            [(row.job_id, *member) for member in row.crew],
        )

    @staticmethod
    def _forget_parts(conn: sqlite3.Connection, job_ids: Sequence[str]) -> None:
        for table in ("job_keys", "appointments", "crew"):
            conn.executemany(f"DELETE FROM {table} WHERE job_id = ?", [(j,) for j in job_ids])  # noqa: S608

    def remove(self, job_ids: Iterable[str]) -> int:
        """Drop jobs that are gone from the account; readers see them in ``changes_since``."""
        ids = list(dict.fromkeys(job_ids))
        if not ids:
            return 0
        with self._write() as conn:
            rev = int(self._meta(conn, "rev") or 0) + 1
            gone = [
                j for j in ids if conn.execute("DELETE FROM jobs WHERE job_id = ?", (j,)).rowcount
            ]
            self._forget_parts(conn, gone)
            conn.executemany(
                "INSERT OR REPLACE INTO removed (job_id, rev) VALUES (?, ?)",
                [(j, rev) for j in gone],
            )
            if gone:
                self._set_meta(conn, "rev", rev)
        return len(gone)

    def purge(self, closed_before: datetime) -> int:
        """Drop jobs cancelled or completed before ``closed_before`` (no notice: they are only
        old, not gone). Returns how many."""
        cutoff = to_ms(closed_before)
        with self._write() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT job_id FROM jobs WHERE closed IS NOT NULL AND closed < ?", (cutoff,)
                )
            ]
            conn.executemany("DELETE FROM jobs WHERE job_id = ?", [(j,) for j in ids])
            self._forget_parts(conn, ids)
        return len(ids)

    def clear(self) -> None:
        """Forget every job and every sync point (the next sync fills the store again)."""
        with self._write() as conn:
            for table in ("jobs", "job_keys", "appointments", "crew", "removed"):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608
            conn.execute("DELETE FROM meta WHERE key != 'zone'")

    def compact(self) -> bool:
        """Give the space of deleted rows back (VACUUM); False if another process is using
        the store just now (it is compacted another time, nothing is lost)."""
        with self._lock:
            try:
                self._conn.execute("VACUUM")
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError:
                return False
        return True

    def mark_synced(
        self, started: datetime, *, full: bool, window_days: int | None = None
    ) -> Changes:
        """Record a finished sync that started at ``started``; returns what changed since the
        previous finished sync (including what an interrupted sync in between stored).

        A sync point only moves forward: of two processes syncing at once, the later start
        stands. The first fill reports nothing as new: everything is.
        """
        moment = to_ms(started)
        with self._write() as conn:
            previous = self._meta(conn, "synced")
            since = int(self._meta(conn, "synced_rev") or 0)
            rev = int(self._meta(conn, "rev") or 0)
            changes = self._changes(conn, since, rev) if previous else Changes([], [], [], rev)
            if previous is None or int(previous) < moment:
                self._set_meta(conn, "synced", moment)
            if full:
                before = self._meta(conn, "full")
                if before is None or int(before) < moment:
                    self._set_meta(conn, "full", moment)
                if window_days is not None:
                    self._set_meta(conn, "window_days", window_days)
            self._set_meta(conn, "synced_rev", rev)
        return changes

    # ---- reading -----------------------------------------------------------------------
    def _changes(self, conn: sqlite3.Connection, since: int, rev: int) -> Changes:
        new: list[str] = []
        changed: list[str] = []
        for job_id, first_rev in conn.execute(
            "SELECT job_id, first_rev FROM jobs WHERE rev > ? ORDER BY rev, job_id", (since,)
        ):
            (new if first_rev > since else changed).append(job_id)
        removed = [
            r[0]
            for r in conn.execute(
                "SELECT job_id FROM removed WHERE rev > ? ORDER BY rev, job_id", (since,)
            )
        ]
        return Changes(new, changed, removed, rev)

    def changes_since(self, rev: int) -> Changes:
        """Jobs added, changed (as a dispatcher would notice) and removed after revision ``rev``;
        ``Changes.rev`` is the cursor to pass next time."""

        def read(conn: sqlite3.Connection) -> Changes:
            return self._changes(conn, rev, int(self._meta(conn, "rev") or 0))

        return self._read(read)

    def query(
        self,
        filters: JobFilters | None = None,
        sort: Sort | None = None,
        text: str = "",
        offset: int = 0,
        limit: int | None = 100,
    ) -> list[JobSummary]:
        """One page of the stored jobs that match, as list rows in the store's zone."""
        clause, params = where(filters, text)
        order = (sort or (Sort.of(filters) if filters else Sort())).order_by()
        # The page's rows are chosen first, from an index where one serves (with text, the
        # search index, which holds every sort key), and only those rows are then read.
        source = "jobs INDEXED BY jobs_by_text" if words(text) else "jobs"
        page = f"SELECT rowid FROM {source}{clause} ORDER BY {order} LIMIT ? OFFSET ?"  # noqa: S608
        sql = f"SELECT {SUMMARY_COLUMNS} FROM jobs WHERE rowid IN ({page}) ORDER BY {order}"  # noqa: S608
        rows = self._read(
            lambda c: c.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
        )
        return [summary_of(row, self.zone) for row in rows]

    def position(
        self,
        job_id: str,
        filters: JobFilters | None = None,
        sort: Sort | None = None,
        text: str = "",
    ) -> int | None:
        """Where the job stands in ``query``'s order (0 first), or None if it does not match.
        It numbers every matching row, so it costs about what ``count`` does."""
        clause, params = where(filters, text)
        order = (sort or (Sort.of(filters) if filters else Sort())).order_by()
        sql = (
            f"SELECT n FROM (SELECT job_id, row_number() OVER (ORDER BY {order}) - 1 AS n "  # noqa: S608
            f"FROM jobs{clause}) WHERE job_id = ?"
        )
        row = self._read(lambda c: c.execute(sql, [*params, job_id]).fetchone())
        return int(row[0]) if row else None

    def count(self, filters: JobFilters | None = None, text: str = "") -> int:
        clause, params = where(filters, text)
        sql = f"SELECT count(*) FROM jobs{clause}"  # noqa: S608
        return int(self._read(lambda c: c.execute(sql, params).fetchone()[0]))

    def ids(self, filters: JobFilters | None = None) -> set[str]:
        clause, params = where(filters)
        sql = f"SELECT job_id FROM jobs{clause}"  # noqa: S608
        return {r[0] for r in self._read(lambda c: c.execute(sql, params).fetchall())}

    def get(self, job_id: str) -> ServiceJob | None:
        """The stored job (without buyer data), or None."""
        row = self._read(
            lambda c: c.execute("SELECT document FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        )
        return job_of(row[0]) if row else None

    def summary(self, job_id: str) -> JobSummary | None:
        sql = f"SELECT {SUMMARY_COLUMNS} FROM jobs WHERE job_id = ?"  # noqa: S608
        row = self._read(lambda c: c.execute(sql, (job_id,)).fetchone())
        return summary_of(row, self.zone) if row else None

    def technicians(self) -> dict[str, str]:
        """Technician id -> name, from every stored appointment (Amazon cannot list them)."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT technician_id, name FROM crew ORDER BY technician_id"
            ).fetchall()
        )
        return {tid: name or tid for tid, name in rows}

    def sightings(self) -> dict[str, tuple[str, set[str], set[str]]]:
        """Technician id -> (name, stores, skills): every stored job a technician is assigned
        on, its store and the skills it required (what ``technicians.Sighting`` holds)."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT c.technician_id, c.name, j.store_id, k.value FROM crew c "
                "JOIN jobs j ON j.job_id = c.job_id "
                "LEFT JOIN job_keys k ON k.job_id = c.job_id AND k.kind = 'skill' "
                "ORDER BY c.technician_id"
            ).fetchall()
        )
        found: dict[str, tuple[str, set[str], set[str]]] = {}
        for tid, name, store_id, skill in rows:
            seen = found.setdefault(tid, (name or tid, set(), set()))
            if store_id:
                seen[1].add(store_id)
            if skill:
                seen[2].add(skill)
        return found

    def offerings(self) -> dict[tuple[str, str], str]:
        """(ASIN, store id) -> service title, from every stored job (for the slot finder)."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT asin, store_id, max(title) FROM jobs "
                "WHERE asin IS NOT NULL AND store_id IS NOT NULL GROUP BY asin, store_id"
            ).fetchall()
        )
        return {(asin, store): title or asin for asin, store, title in rows}

    def __len__(self) -> int:
        return self.count()


def zone_of(name: str | None, default: tzinfo | None) -> tzinfo | None:
    """The zone a ``zone_name`` names (this machine's for "local:..."); ``default`` if none."""
    if name is None:
        return default
    if name.startswith("local:"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


def zone_name(zone: tzinfo | None) -> str:
    """What the scheduled cells were written in: a zone's key, or this machine's zone."""
    if zone is None:
        return "local:" + "/".join(time.tzname)
    return str(getattr(zone, "key", None) or zone)


def connect(target: str | Path) -> sqlite3.Connection:
    """A connection as the store uses them: autocommit (transactions are explicit), WAL,
    a busy timeout, and usable from the worker threads ``asyncio.to_thread`` picks."""
    conn = sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    _into_wal(conn)
    # NORMAL is safe from corruption in WAL mode; a power cut may lose the last transactions,
    # sync point included, so the next sync simply asks again.
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _into_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting for another process that is creating the same new file (a
    console and its demo world open one new store at once; two syncs from cron).

    SQLite answers "database is locked" at once here, without its busy timeout, when another
    connection holds the write lock: waiting inside the statement could deadlock, so it is
    waited for outside it, up to the same timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                conn.close()
                raise
        time.sleep(0.01)
