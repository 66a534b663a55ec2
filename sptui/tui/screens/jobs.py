"""The jobs list: filter, sort, page on demand, narrow as you type, open a job."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from sptui.desk.feed import JobFeed, JobFilters
from sptui.desk.local_time import zone_name
from sptui.desk.summary import JobSummary
from sptui.desk.writes import WriteResult
from sptui.spapi import SpApiError

from ..errors import report
from ..focus import QuietFocus
from ..text import clean
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
SORTS = [("JOB_DATE", "DESC"), ("JOB_DATE", "ASC"), ("JOB_STATUS", "ASC"), ("JOB_STATUS", "DESC")]
EMPTY = "No jobs loaded yet"
PREFETCH = 10
"""Fetch the next page when the cursor is this close to the last loaded row."""
DEFAULT_WATCH = 60.0


def looks_like_job_id(text: str) -> bool:
    return 0 < len(text) <= 100 and not any(c.isspace() for c in text)


class JobsScreen(QuietFocus, Screen[None]):
    class Loaded(Message):
        """Pages of jobs were fetched and painted: work that must not delay them can start."""

    BINDINGS = [
        Binding(
            "slash",
            "narrow",
            "Find",
            tooltip="Narrow the loaded rows as you type",
            id="jobs.narrow",
        ),
        Binding(
            "f", "filters", "Filter", tooltip="Filter and sort what Amazon lists", id="jobs.filters"
        ),
        Binding(
            "s",
            "sort",
            "Sort",
            tooltip="Next order: date newest/oldest, status A-Z/Z-A",
            id="jobs.sort",
        ),
        Binding(
            "r", "refresh", "Reload", tooltip="Reload the list from the start", id="jobs.refresh"
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
            tooltip="Refresh periodically, marking new and changed jobs",
            id="jobs.watch",
        ),
        Binding("escape", "clear_narrow", "Clear", show=False, id="jobs.clear_narrow"),
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
        self.feed = JobFeed(
            session.client,
            zone=session.zone,
            technicians=session.seen_technicians,
            seen=session.note_job,
        )
        self.loading_pages = False
        self.narrow_text = ""
        self.fresh: dict[str, str] = {}
        self.marked: set[str] = set()
        self.watch_timer: Timer | None = None
        self.watching = self.app.session.watch_seconds is not None  # type: ignore[attr-defined]
        self.last_poll = self.app.session.clock()  # type: ignore[attr-defined]
        self._rows: dict[str, Row] = {}

    def compose(self) -> ComposeResult:
        yield TopBar("Jobs")
        yield SteadyStatic(id="summary")
        # Boxed together so that opening the narrowing line re-lays out only these two: a change
        # at the screen's level would have Textual repaint the top bar and summary as well.
        with Vertical(id="list"):
            yield VirtualTable(COLUMNS, empty=EMPTY, id="jobs")
            yield Input(
                placeholder="narrow: type words to keep matching rows, enter to keep, esc to clear",
                id="narrow",
            )
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.load_more()
        self._schedule_watch()

    # ---- loading -------------------------------------------------------------------------
    @property
    def table(self) -> VirtualTable:
        return self.query_one("#jobs", VirtualTable)

    @work(exclusive=True, group="jobs-pages")
    async def load_more(self) -> None:
        """Fetch pages until the screen is full (or the cursor's neighbourhood is covered)."""
        if self.feed.exhausted:
            return
        self.loading_pages = True
        self._show_status()
        try:
            while not self.feed.exhausted:
                added = await self.feed.load_next(self.app.session.clock())  # type: ignore[attr-defined]
                if self.narrow_text:
                    self._show_rows()
                else:  # appending keeps a page's cost to its own rows, however many are loaded
                    self.table.append_rows([self._row(job) for job in added])
                    self._show_status()
                wanted = max(self.table.size.height, 10) + PREFETCH
                if len(self.feed.jobs) >= self.table.cursor + wanted:
                    break
        except SpApiError as error:
            report(self.app, error, "Loading jobs failed")
            if not self.feed.jobs:
                status = f"HTTP {error.status}" if error.status else "no answer"
                self.table.empty_text = f"Jobs could not be loaded ({status}) · r to try again"
                self.table.refresh()
        finally:
            self.loading_pages = False
            self._show_status()
        # after the first page is painted, not before it: start-up is not slowed
        self.call_after_refresh(self.post_message, self.Loaded())

    def _row(self, job: JobSummary) -> Row:
        row = self._rows.get(job.job_id)
        if row is None:
            mark = "✓ " if job.job_id in self.marked else self.fresh.get(job.job_id, "  ")
            row = self._rows[job.job_id] = Row(job.job_id, job.cells, job.css, mark)
        return row

    # ---- acting on jobs --------------------------------------------------------------------
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

    def _chosen(self) -> list[JobSummary]:
        keys = list(self.marked) or ([self.table.current.key] if self.table.current else [])
        return [j for j in (self.feed.job(k) for k in keys) if j is not None]

    @writes
    def action_cancel_jobs(self) -> None:
        self._act("cancel")

    @writes
    def action_complete_jobs(self) -> None:
        self._act("complete")

    def _act(self, action: str) -> None:
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

    def _after_run(self, results: list[WriteResult] | None) -> None:
        self.marked.clear()
        self.reread([r.ids["serviceJobId"] for r in results or []])

    @work(group="jobs-reread")
    async def reread(self, job_ids: list[str]) -> None:
        """No optimistic guesses: every job touched is read back from the server."""
        client = self.app.session.client  # type: ignore[attr-defined]
        for job_id in job_ids:
            try:
                answer = await client.get_service_job_by_service_job_id(job_id)
            except SpApiError as error:
                report(self.app, error, f"Could not read job {job_id} back")
                continue
            if answer.payload is not None:
                self.feed.replace(answer.payload)
            self._rows.pop(job_id, None)
        for key in [k for k, r in self._rows.items() if r.mark == "✓ "]:
            self._rows.pop(key)
        self._show_rows()

    def _show_rows(self) -> None:
        keep = self.table.current.key if self.table.current else None
        jobs = self.feed.jobs
        self.table.set_rows(
            [self._row(jobs[i]) for i in self.feed.narrow(self.narrow_text)], keep=keep
        )
        self._show_status()

    def _show_status(self) -> None:
        if not self.is_mounted or not self.query("#jobs"):
            return  # a load finishing (or cancelled) after the screen has gone: nothing to show
        feed = self.feed
        loaded = len(feed.jobs)
        total = f"{feed.total:,}" if feed.total is not None else "?"
        shown = len(self.table.rows)
        parts = [f"{loaded:,} of {total} loaded"]
        if self.marked:
            parts.append(f"{len(self.marked)} marked")
        if self.narrow_text:
            parts.append(f"{shown:,} match “{self.narrow_text}”")
        if self.loading_pages:
            parts.append("loading…")
        if self.watching:
            parts.append("watching")
        self.query_one(TopBar).status = " · ".join(parts)
        zone = zone_name(self.app.session.zone)  # type: ignore[attr-defined]
        self.query_one("#summary", Static).update(
            Text(f"{feed.filters.describe()} · times in {zone}")
        )

    def on_virtual_table_highlighted(self, message: VirtualTable.Highlighted) -> None:
        near_end = message.index >= len(self.table.rows) - PREFETCH
        if near_end and not self.narrow_text and not self.feed.exhausted and not self.loading_pages:
            self.load_more()

    def reload(self, filters: JobFilters | None = None) -> None:
        self.feed.reset(filters)
        self._rows.clear()
        self.fresh.clear()
        self.table.empty_text = EMPTY
        self.table.set_rows([])
        self.last_poll = self.app.session.clock()  # type: ignore[attr-defined]
        self.load_more()

    # ---- opening ---------------------------------------------------------------------------
    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        self.open_job(message.row.key)

    def open_job(self, job_id: str) -> None:
        from .job import JobScreen

        self.app.push_screen(JobScreen(job_id))

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

    # ---- narrowing, filters, sort ----------------------------------------------------------
    def action_narrow(self) -> None:
        box = self.query_one("#narrow", Input)
        box.add_class("-open")
        box.focus()

    @on(Input.Changed, "#narrow")
    def narrowed(self, event: Input.Changed) -> None:
        self.narrow_text = event.value.strip()
        self._show_rows()

    @on(Input.Submitted, "#narrow")
    def narrow_kept(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text and not self.table.rows and looks_like_job_id(text):
            self.open_job(text)  # not among the loaded jobs: ask Amazon for it directly
        self.table.focus()

    def action_clear_narrow(self) -> None:
        box = self.query_one("#narrow", Input)
        if box.value or box.has_class("-open"):
            box.value = ""
            box.remove_class("-open")
            self.narrow_text = ""
            self._show_rows()
            self.table.focus()

    def action_filters(self) -> None:
        from ..dialogs.filters import FilterDialog

        def chosen(filters: JobFilters | None) -> None:
            if filters is not None and filters != self.feed.filters:
                self.reload(filters)

        self.app.push_screen(FilterDialog(self.feed.filters), chosen)

    def action_sort(self) -> None:
        """One key through the four orders Amazon offers, so the footer keeps room for others."""
        now = (self.feed.filters.sort_field, self.feed.filters.sort_order)
        field, order = SORTS[(SORTS.index(now) + 1) % len(SORTS)] if now in SORTS else SORTS[0]
        self.reload(replace(self.feed.filters, sort_field=field, sort_order=order))

    def action_refresh(self) -> None:
        self.reload()

    # ---- watching --------------------------------------------------------------------------
    def action_toggle_watch(self) -> None:
        self.watching = not self.watching
        if self.watch_timer is not None:
            self.watch_timer.stop()
            self.watch_timer = None
        if self.watching:
            self.last_poll = self.app.session.clock()  # type: ignore[attr-defined]
        self._schedule_watch()
        self.notify(
            "Watching for new and changed jobs" if self.watching else "Stopped watching", timeout=3
        )
        self._show_status()

    def _schedule_watch(self) -> None:
        if self.watching:
            seconds = self.app.session.watch_seconds or DEFAULT_WATCH  # type: ignore[attr-defined]
            self.watch_timer = self.set_timer(seconds, self.poll)

    @work(exclusive=True, group="jobs-watch")
    async def poll(self) -> None:
        """One look for changes; the next is scheduled only once this one has finished."""
        started = self.app.session.clock()  # type: ignore[attr-defined]
        try:
            new, changed = await self.feed.changes_since(self.last_poll)
            self.last_poll = started
            self.fresh = {**dict.fromkeys(new, "✚ "), **dict.fromkeys(changed, "✎ ")}
            for job_id in [*new, *changed]:
                self._rows.pop(job_id, None)
            for key in [k for k, r in self._rows.items() if r.mark.strip() and k not in self.fresh]:
                self._rows.pop(key)  # last round's marks fade
            self._show_rows()
            if new or changed:
                self.notify(f"{len(new)} new, {len(changed)} changed job(s)", timeout=4)
        except SpApiError as error:
            report(self.app, error, "Watching for changes failed")
        finally:
            self._schedule_watch()
