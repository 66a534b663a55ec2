"""The dispatch board: every technician's day (or week) at a glance, and appointments moved from it.

Drawn from the job store, so it opens without a call to Amazon; what only Amazon knows is asked
afterwards for what is on screen: each technician's scheduled and encumbered capacity (kept for
the session) and the open slots of the job under the cursor (shaded on its row). Conflicts are
marked ``!`` on their block and explained under the board; the top bar counts them and says when
the store was last synced.

Acting from the board goes through the core's flows, as everywhere: preview, confirm, journal,
send (on the App, so leaving never abandons a write), reconcile, and read the job back into the
store, from which the board is drawn again in place:

- ``m`` on a block, then arrows and ``enter``: reschedule (reason code asked in the preview) and
  assign the same technicians again; onto another technician's row: assign them (and reschedule
  too if the time moved). Two writes, one confirmation, each reported.
- ``a`` on a block: the assign dialog.
- ``enter`` on a job in the queue, then a place on a technician's row and ``enter``: book it there
  and assign that technician (two writes, one confirmation; if the assignment fails, the booking
  is reported done and the assignment not).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from sptui.desk.board import UNASSIGNED, Block, Waiting
from sptui.desk.board_data import (
    BoardData,
    CapacityCache,
    Period,
    Window,
    open_windows,
    opening_day,
    read_back,
    read_board,
)
from sptui.desk.desk import Desk
from sptui.desk.flows.assign import AssignOutcome, describe_assign, perform_assign, preview_assign
from sptui.desk.flows.booking import (
    BOOKABLE,
    BookingOutcome,
    BookingPreview,
    NotPossible,
    describe_booking,
    perform_booking,
    preview_booking,
)
from sptui.desk.formatting import status_label, window
from sptui.desk.local_time import zone_name
from sptui.desk.store import JobStore, sync
from sptui.desk.writes import WriteResult
from sptui.spapi import SpApiError
from sptui.spapi.models import ServiceJob
from sptui.spapi.reasons import model_reason_codes

from ..errors import describe, report
from ..focus import QuietFocus
from ..text import clean
from ..widgets.board_grid import (
    UNASSIGNED_NAME,
    BoardGrid,
    Ghost,
    label,
    label_of,
    short_title,
)
from ..widgets.fitted import Fitted
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import Column, Row, VirtualTable
from ..writing import follow_up_later, refused_read_only, run_write, writes

QUEUE_COLUMNS = [
    Column("since", "Waiting", 7, priority=2),
    Column("service", "Service", 12, flex=True, priority=0, most=40),
    Column("city", "City", 11, priority=3),
    Column("preferred", "Preferred", 12, priority=1),
    Column("status", "Status", 14, priority=4),
    Column("job", "Job ID", 14, priority=5),
]
WIDE = 130
"""From this many columns the queue stands beside the day's board; narrower, below it."""
SETTLE_S = 0.25
"""How long the cursor rests before the job's open slots and new rows' capacity are asked."""
WATCH_S = 2.0
"""How often the store is looked at for a sync made elsewhere (cheap: one meta read)."""
QUEUE_LINES = 7
"""The queue's height below the board at least: its title, its header and five jobs."""
DETAIL_LINES = 2


# ---- what the board keeps for the session ---------------------------------------------------
@dataclass
class BoardState:
    """The store the board reads and what was fetched for it, kept while the console runs."""

    session: Desk
    store: JobStore
    capacity: CapacityCache
    slots: dict[tuple[str, datetime, datetime], list[Window]]
    drawn: tuple[tuple[object, ...], BoardData] | None = None
    """The last board read, with what it was read from (period, store and capacity as they
    were): opening the board again on the same is instant."""


def board_state(app: App[Any]) -> BoardState:
    """This session's store and caches; opened on first use, replaced with the session."""
    session: Desk = app.session  # type: ignore[attr-defined]
    state: BoardState | None = getattr(app, "_board_state", None)
    if state is None or state.session is not session:
        if state is not None:
            state.store.close()
        state = BoardState(session, session.open_store(), CapacityCache(), {})
        app._board_state = state  # type: ignore[attr-defined]
    return state


@dataclass(frozen=True)
class Carry:
    """What the ghost on the board stands for."""

    job_id: str
    block: Block | None = None
    """The block being moved (None: a queued job being placed)."""
    lane: str = UNASSIGNED
    """The lane the moved block was picked up from."""
    waiting: Waiting | None = None


def _span(block: Block) -> int:
    return int((block.end - block.start).total_seconds() // 60)


def _minutes(waiting: Waiting) -> int:
    for start, end in waiting.preferred:
        minutes = int((end - start).total_seconds() // 60)
        if minutes > 0:
            return minutes
    return 60


class BoardScreen(QuietFocus, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="board.back"),
        Binding(
            "m",
            "move",
            "Move",
            tooltip="Move the appointment under the cursor (arrows, then enter)",
            id="board.move",
        ),
        Binding(
            "a",
            "assign",
            "Assign",
            tooltip="Assign technicians to the appointment under the cursor",
            id="board.assign",
        ),
        Binding("w", "toggle_week", "Day/week", id="board.week"),
        Binding("comma", "shift(-1)", "Earlier", show=False, id="board.earlier"),
        Binding("full_stop", "shift(1)", "Later", show=False, id="board.later"),
        Binding("t", "today", "Today", show=False, id="board.today"),
        Binding(
            "o",
            "in_full",
            "In full",
            show=False,
            tooltip="The lines under the board in full (every conflict, one a line)",
            id="board.in_full",
        ),
        Binding(
            "r",
            "sync",
            "Sync",
            tooltip="Bring the job store up to date, then redraw",
            id="board.sync",
        ),
        Binding(
            "tab", "switch", "Queue", tooltip="Between the board and the queue", id="board.queue"
        ),
    ]
    DEFAULT_CSS = """
    BoardScreen #what { height: 1; padding: 0 1; background: $boost; }
    BoardScreen #main { height: 1fr; layout: horizontal; }
    BoardScreen #left { width: 1fr; height: 1fr; }
    BoardScreen #detail { height: 2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    BoardScreen #side { width: 48; height: 1fr; }
    BoardScreen #queue-title { height: 1; padding: 0 1; background: $panel; }
    BoardScreen #queue { height: 1fr; overflow-x: hidden; }
    BoardScreen.-below #main { layout: vertical; }
    BoardScreen.-below #side { width: 1fr; height: 7; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.state = board_state(self.app)
        self.session: Desk = self.app.session  # type: ignore[attr-defined]
        self.period: Period | None = None
        self.week: bool | None = None
        self.data: BoardData | None = None
        self.carrying: Carry | None = None
        self.known = self.session.known_technicians()
        self.skills = self.session.technician_skills()
        self.stores = {rid: r.stores for rid, r in self.session.resources.items()}
        self.drawn_state: tuple[object, ...] | None = None
        self.syncing = False
        self.capacity_note = ""
        self.said: list[str] | None = None
        self._queue_count = 0
        self.in_full: list[str] = []
        """What the lines under the board say, whole and one a line, for `o`."""
        """What the last write came to, shown under the board until the cursor moves."""
        self._settle: Timer | None = None
        self._queue_rows: dict[str, Row] = {}

    def compose(self) -> ComposeResult:
        yield TopBar("Board")
        yield SteadyStatic(id="what")
        with Container(id="main"):
            with Vertical(id="left"):
                yield BoardGrid(id="grid")
                yield SteadyStatic(id="detail", markup=False)
            with Vertical(id="side"):
                yield SteadyStatic(id="queue-title")
                yield VirtualTable(QUEUE_COLUMNS, empty="reading the queue…", id="queue")
        yield SteadyFooter(compact=True)

    # ---- opening -------------------------------------------------------------------------
    def on_mount(self) -> None:
        width = self.app.size.width
        self.week = width >= WIDE
        self._arrange(width)
        state = self.state.store.state()
        self.grid.focus()
        if state.synced is None:
            self.grid.empty_text = "the job store was never synced: syncing it first…"
            self.sync_store()
        else:
            self.load()
        self.set_interval(WATCH_S, self._watch_store)

    def _arrange(self, width: int) -> None:
        """The queue beside the day's board on a wide terminal; below it in a week, or when
        narrow, taking the lines the board does not need (at least 7)."""
        below = bool(self.week) or width < WIDE
        if below != self.has_class("-below"):
            self.call_after_refresh(self._refit_queue)
        self.set_class(below, "-below")
        side = self.query_one("#side")
        total = self.app.size.height - 3  # the top bar, the line under it, the footer
        need = 1 + max(1, len(self.grid.tracks))  # its header and its lines
        if below:
            lines = max(4, min(need, total - DETAIL_LINES - QUEUE_LINES))
            side.styles.height = total - DETAIL_LINES - lines
        else:
            lines = max(4, min(need, total - DETAIL_LINES))
            side.styles.clear_rule("height")
        self.grid.styles.height = lines

    def on_resize(self, event: events.Resize) -> None:
        self._arrange(event.size.width)

    def _refit_queue(self) -> None:
        """The queue's columns again for its new width, once it has it (its resize can be
        handled before its region is the new one)."""
        self.queue._layout = []  # our own table: its columns are fitted again as it draws
        self.queue.refresh()
        self._title_queue()

    @property
    def grid(self) -> BoardGrid:
        return self.query_one("#grid", BoardGrid)

    @property
    def queue(self) -> VirtualTable:
        return self.query_one("#queue", VirtualTable)

    def _period(self) -> Period:
        if self.period is None:
            now = self.session.clock()
            first = opening_day(self.state.store, now, self.session.zone)
            if self.week:
                first -= timedelta(days=first.weekday())  # the week from its Monday
            self.period = Period(first, 7 if self.week else 1, self.session.zone)
        return self.period

    def load(self) -> None:
        """Draw the board again from the store, in place (the cursor keeps its place)."""
        period = self._period()
        mark = self._store_mark()
        key = (period, mark, tuple(self.known), self.skills, self.state.capacity.version)
        if self.state.drawn is not None and self.state.drawn[0] == key:
            data = self.state.drawn[1]
        else:
            data = read_board(
                self.state.store,
                period,
                known=self.known,
                skills=self.skills,
                stores=self.stores,
                capacity=self.state.capacity,
            )
            self.state.drawn = (key, data)
        self.data = data
        self.drawn_state = mark
        self.grid.show(data)
        self._arrange(self.app.size.width)
        self._describe()
        # the queue after the board's first frame: the board is what the key asked for
        self.call_after_refresh(self._fill_queue, data)
        self._settle_later()

    def _store_mark(self) -> tuple[object, ...]:
        state = self.state.store.state()
        return (state.synced, state.rev)

    def _watch_store(self) -> None:
        """A sync made elsewhere (the jobs list, another process) redraws the board."""
        if self.data is None or self.syncing or not self.is_current:
            return
        if self._store_mark() != self.drawn_state:
            self.state.capacity.forget()  # appointments changed: so may what encumbers anyone
            self.load()

    # ---- the queue -----------------------------------------------------------------------
    def _fill_queue(self, data: BoardData) -> None:
        if not self.is_attached or data is not self.data:
            return  # gone, or another board was read since
        self.queue.empty_text = "No job is waiting for an appointment"
        zone = self.session.zone
        now = self.session.clock()
        rows = []
        for job in data.board.queue:
            row = self._queue_rows.get(job.job_id)
            cells = self._queue_cells(job, now, zone)
            if row is None or row.cells != cells:
                row = self._queue_rows[job.job_id] = Row(job.job_id, cells)
            rows.append(row)
        keep = self.queue.current.key if self.queue.current else None
        self.queue.set_rows(rows, keep=keep)
        self._queue_count = len(rows)
        self._title_queue()

    def _title_queue(self) -> None:
        """The queue's title in the most words its width holds (it is never cut)."""
        count = self._queue_count
        jobs = f"{count} job{'' if count == 1 else 's'}"
        self.query_one("#queue-title", Static).update(
            Fitted(
                [
                    Text.assemble(("Queue", "bold"), words)
                    for words in (
                        f" · {jobs} need an appointment · oldest first · enter places one",
                        f" · {jobs} need an appointment · oldest first",
                        f" · {jobs} waiting · oldest first",
                        f" · {jobs} waiting",
                    )
                ]
            )
        )

    def _queue_cells(self, job: Waiting, now: datetime, zone: Any) -> tuple[str, ...]:
        if job.created is not None:
            days = (now - job.created).days
            since = f"{days}d" if days else f"{max(0, (now - job.created).seconds // 3600)}h"
        else:
            since = "?"
        preferred = ""
        if job.preferred:
            first = job.preferred[0][0].astimezone(zone)
            preferred = f"{first:%a %d %H:%M}"
            if len(job.preferred) > 1:
                preferred += f" +{len(job.preferred) - 1}"
        status = status_label(job.status) if job.status else ""
        return (
            since,
            short_title(job.title),
            clean(job.city),
            preferred,
            status,
            clean(job.job_id),
        )

    def _waiting(self, job_id: str) -> Waiting | None:
        if self.data is None:
            return None
        return next((w for w in self.data.board.queue if w.job_id == job_id), None)

    # ---- words ---------------------------------------------------------------------------
    def _describe(self) -> None:
        data = self.data
        if data is None:
            return
        conflicts = len(data.board.conflicts)
        parts = [f"{conflicts} conflict{'' if conflicts == 1 else 's'}"]
        parts.append("syncing…" if self.syncing else self._synced_words(data.synced))
        people = len(data.lanes) - 1
        if self.capacity_note:
            parts.append(self.capacity_note)
        elif len(data.judged) < people:  # the others' capacity is read as they come on screen
            parts.append(f"capacity {len(data.judged)}/{people}")
        self.query_one(TopBar).status = " · ".join(parts)
        period = data.period
        zone = zone_name(period.zone)
        last = period.first + timedelta(days=period.days - 1)
        span = (
            f"{period.first:%a %d %b %Y}"
            if period.days == 1
            else f"{period.first:%a %d %b}-{last:%a %d %b %Y}"
        )
        people = len(data.lanes) - 1
        booked = len(data.blocks)
        words = f" · times in {zone} · {people} technicians · {booked} appointments"
        hint = " · , . earlier/later · w day/week"
        if len(span) + len(words) + len(hint) + 2 <= self.app.size.width:
            words += hint
        self.query_one("#what", Static).update(Text.assemble((span, "bold"), words))

    def _synced_words(self, synced: datetime | None) -> str:
        if synced is None:
            return "never synced"
        zone = self.session.zone
        local = synced.astimezone(zone)
        today = self.session.clock().astimezone(zone).date()
        return f"synced {local:%H:%M}" if local.date() == today else f"synced {local:%d %b %H:%M}"

    def _names(self) -> dict[str, str]:
        return self.data.names if self.data else {}

    def _who(self, lane: str) -> str:
        return UNASSIGNED_NAME if lane == UNASSIGNED else clean(self._names().get(lane, lane))

    def _when(self, start: datetime, minutes: int) -> str:
        return window(start, minutes, self.session.zone, short=True)

    def _detail(self, block: Block | None, lane: str, moment: datetime) -> None:
        lines: list[str]
        self.in_full = []
        if self.said is not None:
            lines = self.said
        elif self.carrying is not None:
            lines = self._carry_lines(lane, moment)
        elif block is not None:
            lines = self._block_lines(block)  # it keeps the lines in full, every reason apart
        else:
            when = self._when(moment, self.grid.step_minutes)
            lines = [f"{self._who(lane)} · {when} · free", self._shade_words()]
        self.in_full = self.in_full or lines
        text = Text("\n".join(lines[:2]), no_wrap=True, overflow="ellipsis")
        self.query_one("#detail", Static).update(text)

    def action_in_full(self) -> None:
        """The two lines under the board are cut to the width: `o` shows them whole."""
        from ..dialogs.row_detail import RowDetail

        if any(self.in_full):
            self.app.push_screen(RowDetail([("", line) for line in self.in_full if line]))

    def _block_lines(self, block: Block) -> list[str]:
        assert self.data is not None
        minutes = int((block.end - block.start).total_seconds() // 60)
        crew = ", ".join(self._who(t) for t in block.technicians) or UNASSIGNED_NAME.lower()
        head = (
            f"{clean(block.job_id)} · {short_title(block.title)} · {clean(block.city)} · "
            f"{self._when(block.start, minutes)} · {crew}"
        )
        reasons = [f"! {clean(c.reason)}" for c in self.data.board.conflicts_of(block)]
        unjudged = [t for t in block.technicians if t not in self.data.judged]
        self.in_full = [head, *reasons] if reasons else [head]
        if reasons:
            second = " · ".join(reasons)
        elif unjudged:
            second = "no conflict found (capacity not read yet)"
        else:
            second = "no conflict · m move · a assign · enter open the job"
        return [head, second]

    def _carry_lines(self, lane: str, moment: datetime) -> list[str]:
        carry = self.carrying
        assert carry is not None
        ghost = self.grid.ghost
        minutes = ghost.minutes if ghost else 60
        step = self.grid.step_minutes
        steps = f"{step // 60} h" if step % 60 == 0 else f"{step} min"
        if carry.block is not None:
            head = (
                f"Moving {clean(carry.job_id)} to {self._when(moment, minutes)} · "
                f"{self._who(lane)} (from {self._when(carry.block.start, minutes)} · "
                f"{self._who(carry.lane)})"
            )
        else:
            head = (
                f"Placing {clean(carry.job_id)} at {self._when(moment, minutes)} · "
                f"{self._who(lane)}"
            )
        keys = f"←→ {steps} · ↑↓ technician · enter previews · esc cancels"
        shade = self._shade_words()
        return [head, f"{keys} · {shade}" if shade else keys]

    def _shade_words(self) -> str:
        return "░ open slots" if self.grid.shade else ""

    # ---- the cursor ----------------------------------------------------------------------
    @on(BoardGrid.Moved)
    def moved(self, event: BoardGrid.Moved) -> None:
        if isinstance(event, BoardGrid.Chosen):
            return
        if not event.redrawn:
            self.said = None  # what the last write came to stays until the cursor moves
        self._detail(event.block, event.lane, event.moment)
        self._settle_later()

    def _settle_later(self) -> None:
        """Once the cursor rests: the open slots of the job under it, the capacity of the
        technicians on screen (neither is asked on every keypress). One timer, wound back on
        each move (a new timer per keypress would be a task and its garbage per keypress)."""
        if self._settle is None:
            self._settle = self.set_interval(SETTLE_S, self._settled)
        else:
            self._settle.reset()

    def _settled(self) -> None:
        if self._settle is not None:
            self._settle.pause()
        self.fetch_capacity()
        self.fetch_slots()

    def _focus_job(self) -> str | None:
        """The job whose open slots are shaded: carried, under the cursor, or in the queue."""
        if self.carrying is not None:
            return self.carrying.job_id
        if self.queue.has_focus and self.queue.current is not None:
            return self.queue.current.key
        block = self.grid.current_block()
        return block.job_id if block else None

    @work(exclusive=True, group="board-slots")
    async def fetch_slots(self) -> None:
        job_id = self._focus_job()
        if job_id is None or self.period is None:
            self.grid.set_shade(None, ())
            return
        start, end = self.period.window()
        key = (job_id, start, end)
        windows = self.state.slots.get(key)
        if windows is None:
            try:
                windows = await open_windows(self.session, job_id, start, end)
            except SpApiError:
                windows = []  # the shading is a hint; the preview and Amazon have the last word
            self.state.slots[key] = windows
        if windows:
            first_start, first_end = windows[0]
            self.grid.step_minutes = max(5, int((first_end - first_start).total_seconds() // 60))
        self.grid.set_shade(self.grid.current_lane(), windows)
        self._detail(
            self.grid.current_block(),
            self.grid.current_lane() or UNASSIGNED,
            self.grid.moment or start,
        )

    @work(exclusive=True, group="board-capacity")
    async def fetch_capacity(self) -> None:
        """getFixedSlotCapacity for the technicians on screen whose days are not in yet, a few
        at a time (the client paces them by the usage plan), then the board is judged again."""
        data = self.data
        if data is None:
            return
        grid = self.grid
        shown = {t.lane for t in grid.tracks[grid.top : grid.top + grid.size.height]}
        missing = self.state.capacity.missing(sorted(shown), data.period)
        if not missing:
            return
        self.capacity_note = f"reading capacity of {len(missing)}…"
        self._describe()
        gate = asyncio.Semaphore(4)
        failures: list[SpApiError] = []

        async def one(rid: str) -> None:
            async with gate:
                try:
                    await self.state.capacity.fetch(self.session, rid, data.period)
                except SpApiError as error:
                    failures.append(error)

        await asyncio.gather(*(one(rid) for rid in missing))
        self.capacity_note = ""
        if failures:
            self.capacity_note = f"capacity of {len(failures)} not read"
            report(self.app, failures[0], "Could not read a technician's capacity")
        if self.data is not None and self.data.period == data.period:
            self.data = self.data.judged_again(self.state.capacity)
            key = (
                data.period,
                self._store_mark(),
                tuple(self.known),
                self.skills,
                self.state.capacity.version,
            )
            self.state.drawn = (key, self.data)
            self.grid.show(self.data)
        self._describe()

    # ---- keys ----------------------------------------------------------------------------
    def action_back(self) -> None:
        carry = self.carrying
        if carry is not None:  # put back where it was: nothing was sent
            self._drop()
            if carry.block is not None:
                self.grid.move_to(carry.lane, carry.block.start)
            return
        self.app.pop_screen()

    def action_switch(self) -> None:
        if self.grid.has_focus:
            self.queue.focus()
        else:
            self.grid.focus()
        self._settle_later()

    def action_toggle_week(self) -> None:
        self.week = not self.week
        first = self._period().first
        if self.week:
            first -= timedelta(days=first.weekday())
        else:
            moment = self.grid.moment
            if moment is not None:
                first = moment.astimezone(self.session.zone).date()
        self.period = Period(first, 7 if self.week else 1, self.session.zone)
        self._arrange(self.app.size.width)
        self.load()

    def action_shift(self, direction: int) -> None:
        self.period = self._period().shifted(direction * self._period().days)
        self.load()

    def action_today(self) -> None:
        today = self.session.clock().astimezone(self.session.zone).date()
        if self.week:
            today -= timedelta(days=today.weekday())
        self.period = Period(today, self._period().days, self.session.zone)
        self.load()

    def action_sync(self) -> None:
        self.sync_store()

    @work(exclusive=True, group="board-sync")
    async def sync_store(self) -> None:
        """Bring the store up to date with a progress line, then redraw from it."""
        if self.syncing:
            return
        self.syncing = True
        self._describe()
        what = self.query_one("#what", Static)

        def progress(p: Any) -> None:
            expected = f" of {p.expected:,}" if p.expected else ""
            what.update(
                Text(f"Syncing the job store… {p.fetched:,}{expected} jobs, {p.calls} calls")
            )

        settings = self.session.store_settings
        try:
            await sync(
                self.state.store,
                self.session.client,
                window_days=settings.window_days,
                keep_closed_days=settings.keep_closed_days,
                progress=progress,
                clock=self.session.clock,
            )
        except SpApiError as error:
            report(self.app, error, "The job store could not be synced")
        finally:
            self.syncing = False
        self.state.capacity.forget()
        self.state.slots.clear()
        self.load()

    # ---- acting --------------------------------------------------------------------------
    @writes
    def action_move(self) -> None:
        block = self.grid.current_block()
        lane = self.grid.current_lane()
        if block is None or lane is None:
            self.notify("Put the cursor on an appointment to move it.", timeout=4)
            return
        minutes = int((block.end - block.start).total_seconds() // 60)
        self.carrying = Carry(block.job_id, block=block, lane=lane)
        self.grid.step_minutes = minutes if not self.grid.shade else self.grid.step_minutes
        self.grid.carry(Ghost(block.job_id, label_of(block), minutes, block))
        self.grid.focus()

    @writes
    def action_assign(self) -> None:
        from ..dialogs.assign import AssignDialog

        block = self.grid.current_block()
        if block is None:
            self.notify("Put the cursor on an appointment to assign it.", timeout=4)
            return
        job = self.state.store.get(block.job_id)
        if job is None:
            return
        title = f"Assign technicians to job {clean(block.job_id)} · {short_title(block.title)}"
        job_id, before = block.job_id, list(block.technicians)

        def sent() -> None:
            """After every assignment sent from the dialog (taken or not, even if the dialog
            was left before the answer): the job read back into the store, the board redrawn."""
            if self.is_attached:
                self.after_write([job_id], before, every=True)

        self.app.push_screen(AssignDialog(title, job, before, sent=sent))

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        """Place the queued job: the cursor goes to the board with the job as a ghost."""
        if event.table is not self.queue or refused_read_only(self.app):
            return
        waiting = self._waiting(event.row.key)
        if waiting is None or self.data is None:
            return
        if waiting.status not in BOOKABLE:
            self.notify(
                f"Not possible: {status_label(waiting.status)} jobs cannot be booked.",
                severity="warning",
                timeout=6,
            )
            return
        minutes = _minutes(waiting)
        self.carrying = Carry(waiting.job_id, waiting=waiting)
        start, end = self.data.period.window()
        moment = self.grid.moment or start
        for begin, _ in waiting.preferred:
            if start <= begin < end:
                moment = begin
                break
        lane = self.grid.current_lane() or UNASSIGNED
        self.grid.step_minutes = minutes
        self.grid.carry(Ghost(waiting.job_id, label_of_waiting(waiting), minutes))
        self.grid.move_to(lane, moment)
        self.grid.focus()
        self._settle_later()

    @on(BoardGrid.Chosen)
    def chosen(self, event: BoardGrid.Chosen) -> None:
        if self.carrying is not None:
            self.preview(event.lane, event.moment)
        elif event.block is not None:
            from .job import JobScreen

            self.app.push_screen(JobScreen(event.block.job_id))

    def _drop(self, words: str | None = None) -> None:
        self.carrying = None
        self.grid.carry(None)
        if words:
            self.notify(words, timeout=3)

    def preview(self, lane: str, moment: datetime) -> None:
        """What the carried block or job would become here, confirmed before anything is sent."""
        carry = self.carrying
        assert carry is not None
        job = self.state.store.get(carry.job_id)
        if job is None:
            self._drop("That job is no longer in the store.")
            return
        now = self.session.clock()
        zone = self.session.zone
        names = self._names()
        block = carry.block
        if block is None:  # a queued job: book it there, then assign that technician
            minutes = _minutes(carry.waiting) if carry.waiting else 60
            assign_to = [] if lane == UNASSIGNED else [lane]

            def booking(_: str | None) -> BookingPreview:
                return preview_booking(job, moment, minutes, now, assign_to=assign_to)

            doubts = self._doubts(job, assign_to, moment, minutes)
            self._confirm(
                "Book from the board",
                lambda reason: describe_booking(booking(reason), zone, names) + doubts,
                "Book",
                None,
                lambda reason: self._send_booking(booking(reason), "book"),
            )
            return
        crew = list(block.technicians)
        after = [t for t in crew if t != carry.lane]
        if lane != UNASSIGNED and lane not in after:
            after.append(lane)
        if moment == block.start:
            if lane == carry.lane:
                self._drop("Nothing to change: it is where it was.")
                return
            if not after:
                self.notify(
                    "Amazon cannot take technicians off an appointment, only assign others: "
                    "move it to a technician's row.",
                    severity="warning",
                    timeout=8,
                )
                return
            try:
                assigning = preview_assign(job, after)
            except NotPossible as why:
                self.notify(f"Not possible: {why}", severity="warning", timeout=8)
                return
            added = [t for t in after if t not in crew]
            doubts = self._doubts(job, added, block.start, _span(block))
            self._confirm(
                "Assign from the board",
                lambda _: describe_assign(assigning, names) + doubts,
                "Assign",
                None,
                lambda _: self._send_assign(assigning),
            )
            return
        codes = sorted(model_reason_codes()["reschedule"])

        def moving(reason: str | None) -> BookingPreview:
            return preview_booking(
                job,
                moment,
                None,
                now,
                move=True,
                reason=reason,
                assign_to=after if after != crew else None,
                reassign=bool(after),
            )

        doubts = self._doubts(job, after, moment, _span(block))
        self._confirm(
            "Move from the board",
            lambda reason: describe_booking(moving(reason), zone, names) + doubts,
            "Move",
            codes[0] if codes else "",
            lambda reason: self._send_booking(moving(reason), "move"),
        )

    def _doubts(
        self, job: ServiceJob, technicians: list[str], start: datetime, minutes: int
    ) -> list[str]:
        """What is known against giving ``job`` to these technicians at ``start``, said in the
        confirmation before anything is sent: Amazon would likely refuse the assignment (a
        skill, a store), or the technician is elsewhere then (Amazon books them twice)."""
        from sptui.desk.elsewhere import elsewhere

        weighed = {c.resource_id: c for c in self.session.candidates(job)}
        away = elsewhere(self.state.store, str(job.service_job_id or ""), start, minutes)
        lines: list[str] = []
        for tid in technicians:
            who = self._who(tid)
            found = weighed.get(tid)
            if found is not None and found.rank == 2:
                why = "; ".join(clean(w) for w in found.why)
                lines.append(f"! {who}: {why}. Amazon is likely to refuse this assignment.")
            other = away.get(tid)
            if other is not None:
                when = self._when(other.start, _span(other))
                lines.append(f"! {who} is also at job {clean(other.job_id)} {when}.")
        return lines

    def _confirm(self, title: str, lines: Any, verb: str, reason: str | None, send: Any) -> None:
        from ..dialogs.board_confirm import BoardConfirm

        try:
            lines(reason)
        except NotPossible as why:
            self.notify(f"Not possible: {why}", severity="warning", timeout=8)
            return

        def answered(given: str | None) -> None:
            if given is None:
                return
            self._drop()
            send(given if reason is not None else None)

        self.app.push_screen(BoardConfirm(title, lines, verb, reason), answered)

    # ---- sending -------------------------------------------------------------------------
    def _send_booking(self, preview: BookingPreview, kind: str) -> None:
        self.said = ["Sending… (the answer comes here and as a notification)", ""]
        self._detail(None, UNASSIGNED, preview.start)
        run_write(self, self._booking(preview, kind), self._sent)

    def _send_assign(self, preview: Any) -> None:
        self.said = ["Sending… (the answer comes here and as a notification)", ""]
        self._detail(None, UNASSIGNED, self.grid.moment or self.session.clock())
        run_write(self, self._assigning(preview), self._sent)

    async def _booking(self, preview: BookingPreview, kind: str) -> list[str]:
        """Runs on the App: the two writes, the job read back into the store, the words."""
        outcome = await perform_booking(self.session, preview)
        what = f"{'Moving' if kind == 'move' else 'Booking'} job {clean(preview.job_id)}"
        follow_up_later(self.app, outcome.booked, what)
        follow_up_later(self.app, outcome.assigned, f"Assigning on job {clean(preview.job_id)}")
        failed = await read_back(self.session, self.state.store, [preview.job_id])
        lines = self._booking_words(preview, outcome, kind)
        self._tell(lines, failed, bad=not _all_done(outcome, preview))
        self._forget(preview.job_id, [*preview.unassigned, *preview.reassign])
        return lines

    async def _assigning(self, preview: Any) -> list[str]:
        outcome: AssignOutcome = await perform_assign(self.session, preview)
        follow_up_later(self.app, outcome.result, f"Assigning on job {clean(preview.job_id)}")
        failed = await read_back(self.session, self.state.store, [preview.job_id])
        if outcome.changed is not None:
            lines = [f"Nothing was sent: {outcome.changed.why}; the board shows it as it is now."]
        else:
            assert outcome.result is not None
            lines = [self._result_words("Assignment", outcome.result, ", ".join(preview.after))]
        done = outcome.result is not None and outcome.result.took_effect
        self._tell(lines, failed, bad=not done)
        self._forget(preview.job_id, [*preview.before, *preview.after])
        return lines

    def _forget(self, job_id: str, technicians: list[str]) -> None:
        """What a write makes stale: those technicians' encumbered capacity, open slots."""
        self.state.capacity.forget(technicians)
        self.state.slots.clear()

    def _booking_words(
        self, preview: BookingPreview, outcome: BookingOutcome, kind: str
    ) -> list[str]:
        if outcome.changed is not None:
            return [f"Nothing was sent: {outcome.changed.why}; the board shows it as it is now."]
        first = outcome.booked
        assert first is not None
        when = self._when(preview.start, preview.minutes)
        noun = "Move" if kind == "move" else "Booking"
        lines = [self._result_words(noun, first, when)]
        if preview.reassign:
            who = ", ".join(self._who(t) for t in preview.reassign)
            second = outcome.assigned
            if second is not None:
                lines.append(self._result_words("Assignment", second, who))
            elif first.outcome == "unknown":
                lines.append(
                    f"Assignment of {who}: NOT sent, the {noun.lower()}'s outcome is unknown"
                )
            else:
                lines.append(f"Assignment of {who}: NOT sent, the {noun.lower()} was not made")
        return lines

    @staticmethod
    def _result_words(noun: str, result: WriteResult, what: str) -> str:
        from sptui.desk.explain import explain

        rid = f" (request id {clean(result.request_id)})" if result.request_id else ""
        if result.took_effect:
            return f"✓ {noun} done: {what}{rid}"
        if result.outcome == "unknown":
            return f"? {noun} of {what}: outcome unknown, being looked at again{rid}"
        why = "; ".join(explain(result.errors)) or clean(result.message)
        return f"✗ {noun} NOT done ({clean(result.outcome)}): {what}: {why}{rid}"

    def _tell(self, lines: list[str], failed: list[tuple[str, SpApiError]], *, bad: bool) -> None:
        """Say it wherever the user is (a notification); the board shows it too if up."""
        notes = [f"Could not read job {clean(j)} back: {describe(e)}" for j, e in failed]
        self.app.notify(
            "\n".join([*lines, *notes]),
            title="From the board",
            severity="error" if bad else "information",
            timeout=15 if bad else 8,
        )

    def _sent(self, lines: list[str]) -> None:
        """Back on the board: drawn again from the store, the outcome under it."""
        self.load()
        self.said = lines
        self._detail(None, UNASSIGNED, self.grid.moment or self.session.clock())

    def after_write(
        self, job_ids: list[str], technicians: list[str], *, every: bool = False
    ) -> None:
        """A write sent from a dialog: read the jobs back into the store and redraw. What
        encumbers ``technicians`` changed (``every``: whoever the dialog chose, too)."""
        self.state.capacity.forget(None if every else technicians)
        self.state.slots.clear()
        self._read_back(job_ids)

    @work(group="board-read-back")
    async def _read_back(self, job_ids: list[str]) -> None:
        failed = await read_back(self.session, self.state.store, job_ids)
        for job_id, error in failed:
            report(self.app, error, f"Could not read job {clean(job_id)} back")
        self.load()


def label_of_waiting(waiting: Waiting) -> str:
    return label(waiting.title, waiting.city)


def _all_done(outcome: BookingOutcome, preview: BookingPreview) -> bool:
    if outcome.changed is not None or outcome.booked is None:
        return False
    if not outcome.booked.took_effect:
        return False
    if preview.reassign:
        return outcome.assigned is not None and outcome.assigned.took_effect
    return True
