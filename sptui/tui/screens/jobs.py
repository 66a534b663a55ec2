"""The jobs list: every stored job, filtered, sorted and narrowed as you type; kept in sync.

The list is a window onto the profile's job store (``desk.listing``): it shows what is stored at
once, before the API layer is loaded, and a sync then brings the store up to date. `r` catches
up with what changed since the last sync, `ctrl+r` walks the whole window again (the only way
to learn of a job gone from the account), and watch mode catches up on a timer. New and changed
jobs are marked ✚ and ✎. When Amazon cannot be reached the list stays browsable, marked
OFFLINE, and the sync is tried again after a growing pause until it works.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, overload

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from sptui.desk.feed import JobFilters
from sptui.desk.listing import PAGE, StoredJobs
from sptui.desk.local_time import zone_name
from sptui.desk.online import Backoff, as_of, unreachable, worth_retrying
from sptui.desk.store.jobs import JobStore
from sptui.desk.store.query import SORTS, Sort
from sptui.desk.summary import JobSummary

from ..focus import QuietFocus
from ..text import clean
from ..widgets.fitted import SEPARATOR, Phrases
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import Column, Row, VirtualTable
from ..writing import writes

COLUMNS = [
    Column("status", "Status", 14, priority=0),
    Column("scheduled", "Scheduled", 11, priority=1),
    # Narrow enough that the job id still fits at 60 columns; both grow on a wide screen.
    Column("service", "Service", 12, flex=2, priority=0, most=40),
    Column("asin", "ASIN", 10, priority=5),
    Column("store", "Store", 8, priority=6),
    Column("city", "City", 12, priority=4),
    Column("technician", "Technician", 14, flex=1, priority=3, most=40),
    Column("job", "Job ID", 14, priority=2),
]
CONNECTING = "Opening the job store…"
OTHER_FILL_LOOK_S = 0.01
"""How often the list looks at how far another process's fill got (it says so after each page
it stores; looking is reading an attribute)."""

EMPTY = "No jobs stored yet: the first sync is filling the store"
NO_MATCH = "No jobs match these filters"
DEFAULT_WATCH = 60.0
FILL_PAINT_S = 0.25
"""While a fill runs, the rows that arrived are shown at most this often."""
BAR = 10


def looks_like_job_id(text: str) -> bool:
    return 0 < len(text) <= 100 and not any(c.isspace() for c in text)


class JobRows(Sequence[Row]):
    """The table's rows: the stored jobs that match, each drawn as a row when it is on screen."""

    def __init__(self, jobs: StoredJobs, row: Callable[[JobSummary], Row]) -> None:
        self.jobs = jobs
        self.row = row

    def __len__(self) -> int:
        return len(self.jobs)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | Sequence[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.row(self.jobs[index])


def fill_bar(fetched: int, expected: int | None) -> Text:
    """'filling 1,234 of 10,000 ━━━━━──────' (the count alone until Amazon says how many)."""
    if not expected:
        return Text(f"filling {fetched:,}…")
    done = min(BAR, round(BAR * fetched / expected))
    text = Text(f"filling {fetched:,} of {expected:,} ")
    text.append("━" * done, style="bold")
    text.append("─" * (BAR - done), style="dim")
    return text


class JobsScreen(QuietFocus, Screen[None]):
    class Loaded(Message):
        """The list is up and its first sync has run (or failed): start-up work that must not
        delay either can start."""

    BINDINGS = [
        Binding(
            "slash",
            "narrow",
            "Find",
            tooltip="Narrow every stored job as you type",
            id="jobs.narrow",
        ),
        Binding("f", "filters", "Filter", tooltip="Filter the stored jobs", id="jobs.filters"),
        Binding(
            "s",
            "sort",
            "Sort",
            tooltip="Next order: date, status, appointment, technician (each both ways)",
            id="jobs.sort",
        ),
        Binding(
            "r",
            "refresh",
            "Sync",
            tooltip="Catch up with what changed on Amazon since the last sync",
            id="jobs.refresh",
        ),
        Binding(
            "ctrl+r",
            "full_refresh",
            "Full refresh",
            show=False,
            tooltip="Walk the whole window again (finds jobs gone from the account)",
            id="jobs.full_refresh",
        ),
        Binding(
            "i",
            "open_by_id",
            "Id",
            show=False,
            tooltip="Open a job by its id",
            id="jobs.open_by_id",
        ),
        Binding(
            "y",
            "copy_id",
            "Copy",
            show=False,
            tooltip="Copy the selected job id",
            id="jobs.copy_id",
        ),
        Binding(
            "w",
            "toggle_watch",
            "Watch",
            show=False,
            tooltip="Catch up periodically, marking new and changed jobs",
            id="jobs.watch",
        ),
        Binding("escape", "clear_narrow", "Clear", show=False, id="jobs.clear_narrow"),
        Binding(
            "c",
            "clear_fresh",
            "Seen",
            show=False,
            tooltip="Clear the marks of new and changed jobs (✚ ✎): all seen",
            id="jobs.clear_fresh",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            key_display="␣",
            tooltip="Mark the job for a bulk cancel or complete",
            id="jobs.mark",
        ),
        Binding(
            "x",
            "cancel_jobs",
            "Cancel",
            tooltip="Cancel the marked jobs (or this one)",
            id="jobs.cancel",
        ),
        Binding(
            "d",
            "complete_jobs",
            "Done",
            tooltip="Complete the marked jobs (or this one)",
            id="jobs.complete",
        ),
    ]
    DEFAULT_CSS = """
    JobsScreen #summary { height: auto; padding: 0 1; color: $text-muted; }
    JobsScreen #list { height: 1fr; }
    JobsScreen #narrow { display: none; border: none; height: 1; padding: 0 1; background: $boost; }
    JobsScreen #narrow.-open { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        session = self.app.session  # type: ignore[attr-defined]
        self.filters = JobFilters()
        self.sort = Sort()
        self.narrow_text = ""
        self.listing: StoredJobs | None = None
        self.view: JobRows | None = None
        self.fresh: dict[str, str] = {}
        self.marked: set[str] = set()
        self.watching = session.watch_seconds is not None
        self.next_round: Timer | None = None
        self.backoff = Backoff(*self.app.RECONNECT)  # type: ignore[attr-defined]
        self.syncing = False
        """A sync the user asked for (r, ctrl+r, the first one) is running: the status says so."""
        self.fill: tuple[int, int | None] | None = None
        """(jobs fetched, jobs expected) while the window is walked."""
        self.synced: datetime | None = None
        self.failed: str | None = None
        """Why the last sync failed ("HTTP 403", "no answer"); None once one works."""
        self._painted_fill = 0.0
        self._loaded_said = False
        self._rows: dict[str, tuple[JobSummary, Row]] = {}
        self._looked: str | None = None
        """The job the cursor was last on: the cursor arriving on a marked job unmarks it."""
        self._shown_writes = -1
        """The store's write count when the rows were last read: less than it now, and the
        store changed under the list (a job read back after a write elsewhere)."""
        self._other_fill: Timer | None = None
        """While the demo world's own process fills the store: looks for its rows."""
        self._other_progress: tuple[int, int | None] | None = None
        self._heard_backend = False
        """The demo world's own process has said how its fill went (once per list)."""

    def compose(self) -> ComposeResult:
        yield TopBar("Jobs")
        yield SteadyStatic(id="summary")
        # Boxed together so that opening the narrowing line re-lays out only these two: a change
        # at the screen's level would have Textual repaint the top bar and summary as well.
        with Vertical(id="list"):
            yield VirtualTable(COLUMNS, empty=CONNECTING, id="jobs")
            yield Input(
                placeholder="narrow: type words to keep matching rows, enter to keep, esc to clear",
                id="narrow",
            )
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        if store is not None:
            self.attach(store)
        else:
            self._show_status()
        self.set_interval(60, self._show_status)  # the age in words changes once a minute
        backend = self.app.session.backend  # type: ignore[attr-defined]
        if backend is not None and backend.filling:
            self._other_fill = self.set_interval(OTHER_FILL_LOOK_S, self._look_at_other_fill)
        self.run_sync(False, True)  # a store never filled is filled: sync() tells

    def _look_at_other_fill(self) -> None:
        """The demo world's own process is filling the store: show its rows as they come."""
        said = self.app.session.backend.progress  # type: ignore[attr-defined]
        if self.listing is not None and said is not None and said != self._other_progress:
            self._other_progress = said
            self._filled_to(*said)

    def _stop_looking_at_other_fill(self) -> None:
        if self._other_fill is not None:
            self._other_fill.stop()
            self._other_fill = None
            self.fill = None  # the sync that follows shows every row the other process stored

    # ---- the store -------------------------------------------------------------------------
    @property
    def table(self) -> VirtualTable:
        return self.query_one("#jobs", VirtualTable)

    @property
    def store(self) -> JobStore | None:
        return self.listing.store if self.listing is not None else None

    def _now(self) -> datetime:
        return self.app.session.clock()  # type: ignore[attr-defined, no-any-return]

    def attach(self, store: JobStore) -> None:
        """Show ``store``'s jobs (at start, and when the desk names another store)."""
        if self.listing is not None:
            self.listing.close()
        self.listing = StoredJobs(store, window_days=self.app.window_days)  # type: ignore[attr-defined]
        self.view = JobRows(self.listing, self._row)
        self.synced = store.state().synced
        self._rows.clear()
        self.listing.select(
            self._now(), filters=self.filters, sort=self.sort, text=self.narrow_text
        )
        self._show_rows(at=0)

    def _row(self, job: JobSummary) -> Row:
        cached = self._rows.get(job.job_id)
        if cached is not None and cached[0] is job:
            return cached[1]
        mark = "✓ " if job.job_id in self.marked else self.fresh.get(job.job_id, "  ")
        row = Row(job.job_id, job.cells, job.css, mark)
        self._rows[job.job_id] = (job, row)
        return row

    def _requery(
        self, *, text: str | None = None, deep: bool = False, at: int | None = None
    ) -> None:
        """Read the list again (the query or the store changed). The cursor stays on its job
        when the list still holds it: among the rows in memory (typing), or anywhere (``deep``:
        after a sync, which is rare enough to number every row)."""
        listing = self.listing
        if listing is None:
            return
        keep = self.table.current.key if self.table.current else None
        was = self.table.cursor
        listing.interrupt()
        listing.select(self._now(), filters=self.filters, sort=self.sort, text=text)
        self._rows.clear()
        if at is None and keep is not None:
            held = listing.find(keep) if deep else self._held(keep)
            at = held if held is not None else (min(was, len(listing) - 1) if deep else 0)
        self._show_rows(at=at or 0)

    def _held(self, job_id: str) -> int | None:
        assert self.listing is not None
        for index in range(min(len(self.listing), 2 * PAGE)):
            if self.listing[index].job_id == job_id:
                return index
        return None

    def _show_rows(self, at: int) -> None:
        assert self.listing is not None and self.view is not None
        self._shown_writes = self.listing.store.writes
        self.table.empty_text = self._empty_text()  # set_rows repaints it if it changed
        self.table.set_rows(self.view, at=max(0, min(at, len(self.listing) - 1)))
        if self.listing.total is None:
            self._count()
        self._show_status()

    @work(exclusive=True, group="jobs-count", exit_on_error=False)
    async def _count(self) -> None:
        """Count the matches on a thread (a `/` keystroke shows its first rows before)."""
        listing = self.listing
        if listing is None:
            return
        answer = await asyncio.to_thread(listing.tally)
        if listing is self.listing and listing.counted(answer) and self.view is not None:
            self.table.set_rows(self.view, at=self.table.cursor)
            self._show_status()

    def _empty_text(self) -> str:
        if self.narrow_text:
            return "No stored job matches the words typed (esc clears them)"
        if self.filters != JobFilters():
            return NO_MATCH
        if self.failed is not None and self.synced is None:
            trying = " · sptui keeps trying" if self.app.offline else ""  # type: ignore[attr-defined]
            return f"Jobs could not be loaded ({self.failed}) · r to try again{trying}"
        return EMPTY

    def on_screen_resume(self) -> None:
        """Back on the list: a job read or written elsewhere meanwhile shows as it now is."""
        if self.listing is not None and self.listing.store.writes != self._shown_writes:
            self._requery(deep=True)

    # ---- syncing ---------------------------------------------------------------------------
    @work(exclusive=True, group="jobs-sync")  # anything untyped is a bug: the crash shows it
    async def run_sync(self, full: bool = False, shown: bool = False) -> None:
        """One sync: a catch-up by change, or (``full``, or a store never filled) a walk of the
        window with the rows shown as they arrive. The next is scheduled once this one ends."""
        app: Any = self.app
        self._stop_timer()
        desk = await app.connected()
        # Only now: the first frame waits for none of the API layer (the desk loaded it).
        from sptui.desk.store import sync
        from sptui.spapi.errors import SpApiError, ThrottledError

        store = app.store
        if store is None:
            return
        backend = desk.backend
        filled_elsewhere = False
        if backend is not None and not self._heard_backend:
            filled_elsewhere = True
            problem = await backend.filled()  # a sync that takes over (r) waits again
            self._heard_backend = True
            self._stop_looking_at_other_fill()
            if problem is not None:
                app.demo_world_gone(problem)
                return
        elif backend is not None and not backend.alive():
            app.demo_world_gone("stopped")
            return
        if self.store is not store:
            self.attach(store)
        self.fill = None
        self.syncing = shown
        self._show_status()
        outcome = "failed"
        cancelled = False
        try:
            result = await sync(
                store,
                desk.client,
                window_days=desk.store_settings.window_days,
                keep_closed_days=desk.store_settings.keep_closed_days,
                full=full,
                progress=self._progress,
                clock=desk.clock,
            )
        except SpApiError as error:
            nothing = self.synced is None and not len(self.listing or ())
            self.failed = f"HTTP {error.status}" if error.status else "no answer"
            if unreachable(error):
                app.went_offline(error)
            elif not isinstance(error, ThrottledError):
                from ..errors import report

                report(app, error, "Loading jobs failed" if nothing else "Syncing jobs failed")
            if worth_retrying(error):
                outcome = "retry"  # after a pause that grows while it keeps failing
        except sqlite3.Error as error:
            self.notify(f"The job store could not be written: {error}", severity="error")
        except asyncio.CancelledError:
            cancelled = True  # another sync took over (r, ctrl+r): it schedules the next
            raise
        else:
            outcome = "synced"
            self.failed = None
            app.went_online()
            self.backoff.reset()
            self.synced = result.started
            # A first fill by the demo world's own process is a first fill too: no news.
            self._take(result, asked=shown, first=filled_elsewhere)
            # Who was assigned where: what the assign dialog offers first (Amazon lists no one).
            desk.note_sightings(await asyncio.to_thread(store.sightings))
        finally:
            self.syncing = False
            if self.is_attached and not cancelled:
                walked = self.fill is not None or filled_elsewhere
                self.fill = None
                self._requery(deep=True, at=self._top() if walked else None)
                self._schedule(retry=outcome == "retry")
                if not self._loaded_said:
                    self._loaded_said = True
                    # after the first rows are painted and the first sync ran, not before
                    self.call_after_refresh(self.post_message, self.Loaded())

    def _take(self, result: Any, *, asked: bool = False, first: bool = False) -> None:
        """Mark what the sync brought: ✚ new, ✎ changed. ``asked``: the user pressed a key
        for it, so a sync that found nothing says so too."""
        for note in result.notes:
            self.notify(note, title="Job store", severity="warning", timeout=15)
        if result.first or first:
            return  # a first fill: everything is new, so nothing is marked
        new, changed = self._not_ours(result.new), self._not_ours(result.changed)
        self.app.kept_here.clear()  # type: ignore[attr-defined]  # this sync has seen them all
        # Marks stay until the row is looked at (the cursor on it) or `c` clears them; a job
        # new since the last look and changed since stays new.
        self.fresh.update(dict.fromkeys((j for j in changed if j not in self.fresh), "✎ "))
        self.fresh.update(dict.fromkeys(new, "✚ "))
        said = []
        if new or changed:
            said.append(f"{len(new)} new (✚), {len(changed)} changed (✎) job(s)")
        if result.removed:
            said.append(f"{len(result.removed)} gone from the account")
        if said:
            self.notify(", ".join(said), timeout=4)
        elif asked:
            walked = "walked the whole window: " if result.full else ""
            self.notify(f"Up to date: {walked}nothing new or changed on Amazon", timeout=3)

    def _not_ours(self, job_ids: list[str]) -> list[str]:
        """Leave out the jobs as this console last read them whole (its own writes, read
        back): the dispatcher knows of those. A job changed again since is still news."""
        kept: dict[str, str] = self.app.kept_here  # type: ignore[attr-defined]
        news = []
        for job_id in job_ids:
            seen = kept.pop(job_id, None)
            now = self.store.summary(job_id) if seen is not None and self.store else None
            if now is None or now.signature != seen:
                news.append(job_id)
        return news

    def _progress(self, progress: Any) -> None:
        """A page of the walk was stored: show the count, and the rows now and then."""
        self._filled_to(progress.fetched, progress.expected)

    def _filled_to(self, fetched: int, expected: int | None) -> None:
        self.fill = (fetched, expected)
        now = time.monotonic()
        # The first rows are painted the moment there are any; then now and then.
        if now - self._painted_fill >= FILL_PAINT_S or (fetched and not self.table.rows):
            self._painted_fill = now
            self._requery(at=self._top())
        else:
            self._show_status()

    def _top(self) -> int | None:
        """While the window is walked, rows arrive above and below the cursor: one left at the
        top stays at the top (the newest job) rather than follow its row down."""
        return 0 if self.table.cursor == 0 else None

    def _stop_timer(self) -> None:
        if self.next_round is not None:
            self.next_round.stop()
            self.next_round = None

    def _schedule(self, *, retry: bool) -> None:
        """The next sync: soon and then less often while Amazon cannot be reached, else on the
        watch timer (if watching), else when the user asks."""
        self._stop_timer()
        if retry:
            self.next_round = self.set_timer(self.backoff.next(), self.poll)
        elif self.watching:
            seconds = self.app.session.watch_seconds or DEFAULT_WATCH  # type: ignore[attr-defined]
            self.next_round = self.set_timer(seconds, self.poll)

    def poll(self) -> None:
        """One catch-up round (watch mode, or trying again while offline)."""
        self.run_sync(False, False)

    # ---- writes and reading back -----------------------------------------------------------
    def action_mark(self) -> None:
        row = self.table.current
        if row is None:
            return
        if row.key in self.marked:
            self.marked.discard(row.key)
            row.mark = self.fresh.get(row.key, "  ")
        else:
            self.marked.add(row.key)
            row.mark = "✓ "
        self.table.repaint_changed()
        self.table.action_cursor(1)
        self._show_status()

    def on_virtual_table_highlighted(self, message: VirtualTable.Highlighted) -> None:
        """A new or changed job the cursor comes to has been seen: its mark goes."""
        if message.table is not self.table:
            return
        row = self.table.current
        key = row.key if row is not None else None
        if key == self._looked:
            return  # the list was read again under a cursor that stayed on its job
        self._looked = key
        if row is not None and self.fresh.pop(row.key, None) is not None:
            row.mark = "✓ " if row.key in self.marked else "  "
            self.table.repaint_changed()
            self._show_status()

    def action_clear_fresh(self) -> None:
        if not self.fresh:
            self.notify("No new or changed jobs are marked", timeout=3)
            return
        self.fresh.clear()
        for _, row in self._rows.values():
            if row.mark.strip() in ("✚", "✎"):
                row.mark = "  "
        self.table.repaint_changed()
        self._show_status()

    def _chosen(self) -> list[JobSummary]:
        keys = list(self.marked) or ([self.table.current.key] if self.table.current else [])
        if self.store is None:
            return []
        found = (self.store.summary(k) for k in keys)
        return [j for j in found if j is not None]

    def job(self, job_id: str) -> JobSummary | None:
        """The stored list row of a job."""
        return self.store.summary(job_id) if self.store is not None else None

    @writes  # refused on a read-only profile, and offline, before any dialog opens
    def action_cancel_jobs(self) -> None:
        self._act("cancel")

    @writes
    def action_complete_jobs(self) -> None:
        self._act("complete")

    def _act(self, action: str) -> None:
        self.app.with_desk(lambda: self._act_now(action))  # type: ignore[attr-defined]

    def _act_now(self, action: str) -> None:
        from sptui.desk.flows.close import preview_close

        from ..dialogs.job_action import ConfirmJobAction
        from .job_run import JobRun

        planned = preview_close(action, self._chosen())
        if not planned.send:
            why = planned.skip[0][1] if planned.skip else "no job selected"
            self.notify(f"Nothing to {action}: {why}", severity="warning", timeout=5)
            return

        def confirmed(answer: str | None) -> None:
            if answer:
                reason = answer if action == "cancel" else None
                self.app.push_screen(JobRun(action, list(planned.send), reason), self._after_run)

        from sptui.desk.desk import Mode

        live = self.app.session.mode is Mode.LIVE  # type: ignore[attr-defined]
        self.app.push_screen(ConfirmJobAction(planned, live=live), confirmed)

    def _after_run(self, results: Any) -> None:
        self.marked.clear()
        self.reread([r.ids["serviceJobId"] for r in results or []])

    @work(group="jobs-reread")
    async def reread(self, job_ids: list[str]) -> None:
        """No optimistic guesses: every job touched is read back from the server and stored."""
        from sptui.desk.flows.guard import read_answer
        from sptui.spapi.errors import SpApiError

        from ..errors import report

        desk = await self.app.connected()  # type: ignore[attr-defined]
        for job_id in job_ids:
            try:
                await read_answer(desk, job_id)  # the desk keeps it in the store
            except SpApiError as error:
                report(self.app, error, f"Could not read job {job_id} back")
        self._requery(deep=True)

    def last_sync(self, *, short: bool = False) -> str:
        """'as of 14:02, 12 min ago' (``short``: '14:02, 12 min ago', for a narrow top bar)."""
        if self.synced is None:
            return "never synced"
        said = as_of(self.synced, self._now(), self.app.session.zone)  # type: ignore[attr-defined]
        return said.removeprefix("as of ") if short else said

    # ---- the status line -------------------------------------------------------------------
    def _show_status(self) -> None:
        if not self.is_attached or not self.query("#jobs"):
            return  # a sync finishing (or cancelled) after the screen has gone: nothing to show
        listing = self.listing
        parts: list[str | Text] = []
        if listing is None:
            parts.append("connecting…")
        else:
            count = f"{listing.total:,}" if listing.total is not None else f"{len(listing):,}+"
            if self.narrow_text:
                parts.append(f"{count} match “{self.narrow_text}”")
            else:
                parts.append(f"{count} job{'' if listing.total == 1 else 's'}")
        if self.marked:
            parts.append(f"{len(self.marked)} marked")
        if self.fresh:
            parts.append(f"{len(self.fresh)} unseen")
        offline = self.app.offline  # type: ignore[attr-defined]
        age = 0 if offline else len(parts)  # offline, how old the jobs are matters most: first
        if self.fill is not None:
            parts.append(fill_bar(*self.fill))
        elif self.synced is not None:
            parts.insert(age, self.last_sync())
        elif listing is not None and offline:
            parts.insert(0, "never synced")
        if self.syncing and self.fill is None:
            parts.append("syncing…")
        if self.watching:
            parts.append("watching")
        bar = self.query_one(TopBar)
        status = self._joined(parts)
        if self.synced is not None and self.fill is None and status.cell_len > bar.status_room():
            # '14:02, 12 min ago' says enough where the long form would cut where we are
            # connected short; where that is cut anyway, the long form stays.
            parts[age] = self.last_sync(short=True)
            short = self._joined(parts)
            whole = short.cell_len <= bar.status_room()
            if whole or status.cell_len > bar.status_room(whole=False):
                status = short
        bar.status = status
        zone = zone_name(self.app.session.zone)  # type: ignore[attr-defined]
        described = listing.describe() if listing is not None else ""
        self.query_one("#summary", Static).update(
            Phrases([*described.split(SEPARATOR), f"times in {zone}"])
        )

    @staticmethod
    def _joined(parts: list[str | Text]) -> Text:
        status = Text()
        for n, part in enumerate(parts):
            if n:
                status.append(" · ")
            status.append(part)
        return status

    # ---- opening ---------------------------------------------------------------------------
    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        self.open_job(message.row.key)

    def open_job(self, job_id: str) -> None:
        """Open a job: it is read whole from Amazon (buyer details in memory only)."""

        def push() -> None:
            from .job import JobScreen

            self.app.push_screen(JobScreen(job_id))

        self.app.with_desk(push)  # type: ignore[attr-defined]

    def on_paste(self, event: events.Paste) -> None:
        text = event.text.strip()
        if looks_like_job_id(text):
            event.stop()
            self.open_job(text)

    def action_open_by_id(self) -> None:
        from ..dialogs.open_job import OpenJobDialog

        def chosen(job_id: str | None) -> None:
            if job_id:
                self.open_job(job_id)

        self.app.push_screen(OpenJobDialog(), chosen)

    def action_copy_id(self) -> None:
        row = self.table.current
        if row is not None:
            shown = clean(row.key)  # what the user saw is what they get, never a control byte
            self.app.copy_to_clipboard(shown)
            self.notify(f"Copied job id {shown}", timeout=3)

    def offerings(self) -> dict[tuple[str, str], str]:
        """(ASIN, store id) → service, from every stored job: what the slot finder offers."""
        return self.store.offerings() if self.store is not None else {}

    # ---- narrowing, filters, sort ----------------------------------------------------------
    def action_narrow(self) -> None:
        box = self.query_one("#narrow", Input)
        box.add_class("-open")
        box.focus()

    @on(Input.Changed, "#narrow")
    def narrowed(self, event: Input.Changed) -> None:
        self.narrow_text = event.value.strip()
        self._requery(text=self.narrow_text)

    @on(Input.Submitted, "#narrow")
    def narrow_kept(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text and not self.table.rows and looks_like_job_id(text):
            self.open_job(text)  # not among the stored jobs: ask Amazon for it directly
        self.table.focus()

    def action_clear_narrow(self) -> None:
        box = self.query_one("#narrow", Input)
        if box.value or box.has_class("-open"):
            box.value = ""
            box.remove_class("-open")
            self.narrow_text = ""
            self._requery(text="")
            self.table.focus()

    def action_filters(self) -> None:
        def open_dialog() -> None:
            from ..dialogs.filters import FilterDialog

            def chosen(filters: JobFilters | None) -> None:
                if filters is None or filters == self.filters:
                    return
                old = (self.filters.sort_field, self.filters.sort_order)
                if (filters.sort_field, filters.sort_order) != old:
                    self.sort = Sort.of(filters)  # the dialog's sort was changed: it wins
                self.filters = filters
                self._requery(at=0)

            shown = self.listing.effective(self._now()) if self.listing else self.filters
            self.app.push_screen(FilterDialog(shown), chosen)

        self.app.with_desk(open_dialog)  # type: ignore[attr-defined]

    def action_sort(self) -> None:
        """One key through every order, so the footer keeps room for others."""
        now = SORTS.index(self.sort) if self.sort in SORTS else -1
        self.sort = SORTS[(now + 1) % len(SORTS)]
        self._requery(at=0)

    def action_refresh(self) -> None:
        """Catch up: what changed since the last sync, marked."""
        if self.syncing:
            self.notify("A sync is running already", timeout=3)
            return
        self.run_sync(False, True)

    def action_full_refresh(self) -> None:
        """Walk the whole window again: the way to learn of jobs gone from the account."""
        self.run_sync(True, True)

    # ---- watching --------------------------------------------------------------------------
    def action_toggle_watch(self) -> None:
        self.watching = not self.watching
        if not self.app.offline:  # type: ignore[attr-defined]
            self._schedule(retry=False)
        self.notify(
            "Watching for new and changed jobs" if self.watching else "Stopped watching", timeout=3
        )
        self._show_status()

    def on_unmount(self) -> None:
        if self.listing is not None:
            with contextlib.suppress(Exception):
                self.listing.close()
