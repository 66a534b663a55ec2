"""One technician's capacity as a calendar, with every page fetched, and the writes that change it.

From here: reservations (`v`, and `n` for a new one) and the schedule editor (`e`); the grid is
read again when any of them comes back having changed something.
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.capacity import LABELS, TYPES, CapacityTable, Cell
from sptui.desk.local_time import zone_name
from sptui.desk.reads import load_capacity
from sptui.spapi import SpApiError

from ..dialogs.capacity_range import CapacityRange, CapacityRangeDialog
from ..errors import describe, report
from ..focus import QuietFocus
from ..text import clean
from ..widgets.capacity_grid import CapacityGrid
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..writing import writes


def cell_text(cell: Cell | None, zone: object) -> Text:
    if cell is None:
        return Text("no capacity reported for this slot", style="dim")
    start = cell.start.astimezone(zone)  # type: ignore[arg-type]
    end = cell.end.astimezone(zone)  # type: ignore[arg-type]
    text = Text(f"{start:%a %d %b %H:%M}-{end:%H:%M}  ", style="bold")
    text.append(" · ".join(f"{LABELS[k]} {cell.values[k]}" for k in TYPES if k in cell.values))
    return text


class CapacityScreen(QuietFocus, Screen[None]):
    # The footer drops keys from its end when it runs out of room (Days first, at 80 columns):
    # what changes the view comes after where to go and what to write.
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="capacity.back"),
        Binding("v", "reservations", "Reservations", id="capacity.reservations"),
        Binding("n", "new_reservation", "Reserve", id="capacity.reserve"),
        Binding("e", "schedule", "Schedule", id="capacity.schedule"),
        Binding(
            "t", "next_type", "Type", tooltip="Show the next capacity type", id="capacity.type"
        ),
        Binding(
            "m",
            "toggle_mode",
            "Mode",
            tooltip="Switch between fixed and range slots",
            id="capacity.mode",
        ),
        Binding(
            "o",
            "options",
            "Days",
            tooltip="Choose the days and the slot length",
            id="capacity.options",
        ),
        Binding("comma", "shift_window(-7)", "Week back", show=False, id="capacity.week_back"),
        Binding("full_stop", "shift_window(7)", "Week on", show=False, id="capacity.week_on"),
        Binding("r", "refresh", "Refresh", show=False, id="capacity.refresh"),
    ]
    DEFAULT_CSS = """
    CapacityScreen #what { height: 1; padding: 0 1; background: $boost; }
    CapacityScreen CapacityGrid { padding: 0 1; }
    CapacityScreen #detail { height: auto; max-height: 6; padding: 0 1; }
    """

    def __init__(self, resource_id: str, name: str | None = None) -> None:
        super().__init__()
        self.resource_id = resource_id
        self.name_text = name or resource_id
        now = self.app.session.clock().astimezone(self.app.session.zone)  # type: ignore[attr-defined]
        self.range = CapacityRange(now.date())
        self.kind = TYPES[0]
        self.table: CapacityTable | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(
            f"Capacity · {clean(self.name_text)} · {clean(self.resource_id)}",
            f"Capacity · {clean(self.name_text)}",
        )
        yield SteadyStatic(id="what")
        yield CapacityGrid(id="grid")
        yield SteadyStatic(id="detail")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.load()
        self.query_one(CapacityGrid).focus()

    def _describe(self) -> None:
        r = self.range
        last = r.first_day + timedelta(days=r.days - 1)
        how = f"fixed {r.minutes}-min slots" if r.fixed else f"range slots in {r.minutes} min"
        zone = zone_name(self.app.session.zone)  # type: ignore[attr-defined]
        self.query_one("#what", Static).update(
            Text.assemble(
                (LABELS[self.kind], "bold"),
                f" · {how} · {r.first_day:%d %b}-{last:%d %b} · {zone} · enter: details",
            )
        )

    @work(exclusive=True, group="capacity")
    async def load(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        bar = self.query_one(TopBar)
        self._describe()
        r = self.range
        pages = 0

        def paged(count: int) -> None:
            nonlocal pages
            pages = count
            bar.status = f"loading… page {count}"

        bar.status = "loading…"
        try:
            table = await load_capacity(
                session,
                self.resource_id,
                r.first_day,
                r.days,
                r.minutes,
                ranged=not r.fixed,
                on_page=paged,
            )
        except SpApiError as error:
            report(self.app, error, f"Could not load the capacity of {clean(self.resource_id)}")
            self.query_one("#detail", Static).update(Text(describe(error), style="red"))
            bar.status = "failed"
            return
        self.table = table
        self.query_one(CapacityGrid).show(table, self.kind)
        read_at = session.clock().astimezone(session.zone)
        bar.status = f"{pages} page{'s' if pages != 1 else ''} · read {read_at:%H:%M:%S}"

    @on(CapacityGrid.Moved)
    def moved(self, event: CapacityGrid.Moved) -> None:
        if not isinstance(event, CapacityGrid.Chosen):
            self.query_one("#detail", Static).update(cell_text(event.cell, self.app.session.zone))  # type: ignore[attr-defined]

    @on(CapacityGrid.Chosen)
    def chosen(self, event: CapacityGrid.Chosen) -> None:
        from ..dialogs.cell_detail import CellDetail

        if event.cell is not None:
            self.app.push_screen(CellDetail(event.cell, self.app.session.zone))  # type: ignore[attr-defined]

    # ---- actions -------------------------------------------------------------------------
    def action_next_type(self) -> None:
        self.kind = TYPES[(TYPES.index(self.kind) + 1) % len(TYPES)]
        self._describe()
        if self.table is not None:
            self.query_one(CapacityGrid).show(self.table, self.kind)

    def action_toggle_mode(self) -> None:
        from dataclasses import replace

        self.range = replace(self.range, fixed=not self.range.fixed)
        self.load()

    def action_options(self) -> None:
        def chosen(found: CapacityRange | None) -> None:
            if found is not None:
                self.range = found
                self.load()

        self.app.push_screen(CapacityRangeDialog(self.range), chosen)

    def action_shift_window(self, days: int) -> None:
        """Show the days a week earlier or later (the cursor keeps its place in the grid)."""
        from dataclasses import replace

        self.range = replace(self.range, first_day=self.range.first_day + timedelta(days=days))
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def _changed(self, changed: object) -> None:
        if changed:
            self.load()

    def action_reservations(self) -> None:
        from .reservations import ReservationsScreen

        self.app.push_screen(ReservationsScreen(self.resource_id, self.name_text), self._changed)

    @writes
    def action_new_reservation(self) -> None:
        from .reservations import new_reservation

        new_reservation(self, self.resource_id, self.name_text, self._cursor_start(), self._changed)

    def action_schedule(self) -> None:
        from .schedule import ScheduleScreen

        self.app.push_screen(ScheduleScreen(self.resource_id, self.name_text), self._changed)

    def _cursor_start(self) -> object:
        grid = self.query_one(CapacityGrid)
        cell = self.table.cell_at(*grid.cursor) if self.table else None
        return cell.start if cell else None
