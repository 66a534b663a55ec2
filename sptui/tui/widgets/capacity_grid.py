"""The capacity calendar: days across, times of day down, a number and a shade in each cell.

Drawn line by line (only the rows on screen are built), so a 90-day grid of 30-minute slots moves
as fast as a 7-day one. The shade (░ ▒ ▓ █ against the busiest cell) reads without colour; colour
only repeats it. A cursor move repaints only the two cells, their time labels and day headings
that it changes (over SSH a whole-grid repaint is kilobytes per keypress); a move that scrolls
the grid repaints it all.
"""

from __future__ import annotations

from datetime import timedelta

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from sptui.desk.capacity import CapacityTable, Cell
from sptui.spapi.models import CapacityType

LABEL = 6
CELL = 6
HEADER = 2
SHADES = " ░▒▓█"
_BASE = Style()
_HEAD = Style(bold=True)
_DIM = Style(dim=True)
_CURSOR = Style(reverse=True, bold=True)
_LEVEL_STYLES = [
    Style(dim=True),
    Style(color="green"),
    Style(color="green", bold=True),
    Style(color="bright_green"),
    Style(color="bright_green", bold=True),
]


def shade(value: int, peak: int) -> int:
    """0 for nothing, then 1-4 by quarter of the peak."""
    if value <= 0 or peak <= 0:
        return 0
    return min(4, 1 + (value * 4 - 1) // peak)


class CapacityGrid(Widget, can_focus=True):
    BINDINGS = [
        Binding("up,k", "move(0, -1)", "Up", show=False, id="grid.up"),
        Binding("down,j", "move(0, 1)", "Down", show=False, id="grid.down"),
        Binding("left,h", "move(-1, 0)", "Left", show=False, id="grid.left"),
        Binding("right,l", "move(1, 0)", "Right", show=False, id="grid.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="grid.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="grid.page_down"),
        # the cursor, within the days shown; , and . move the days shown (the capacity screen)
        Binding("shift+left", "move(-7, 0)", "Cursor a week back", show=False, id="grid.week_back"),
        Binding("shift+right", "move(7, 0)", "Cursor a week on", show=False, id="grid.week_on"),
        Binding("enter", "choose", "Details", show=False, id="grid.choose"),
    ]
    DEFAULT_CSS = "CapacityGrid { height: 1fr; }"

    cursor: reactive[tuple[int, int]] = reactive((0, 0), layout=False, repaint=False)

    class Moved(Message):
        def __init__(self, cell: Cell | None, day: int, row: int) -> None:
            super().__init__()
            self.cell, self.day, self.row = cell, day, row

    class Chosen(Moved):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table: CapacityTable | None = None
        self.kind = CapacityType.AVAILABLE_CAPACITY
        self.left = 0
        self.top = 0
        self._peak = 0

    # ---- data ----------------------------------------------------------------------------
    def show(
        self, table: CapacityTable, kind: CapacityType, *, start_row: int | None = None
    ) -> None:
        keep = self.table is not None and (table.days, table.minutes) == (
            self.table.days,
            self.table.minutes,
        )
        self.table = table
        self.kind = kind
        self._peak = table.peak(kind)
        if not keep:
            row = start_row if start_row is not None else 8 * 60 // table.minutes
            self.cursor = (0, min(row, table.rows - 1))
            self.top = max(0, self.cursor[1] - 1)
            self.left = 0
        self._clamp()
        self.refresh()
        self._announce(self.Moved)

    def _visible(self) -> tuple[int, int]:
        days = max(1, (self.size.width - LABEL) // CELL)
        rows = max(1, self.size.height - HEADER)
        return days, rows

    def _clamp(self) -> None:
        if self.table is None:
            return
        days, rows = self._visible()
        day, row = self.cursor
        day = max(0, min(day, self.table.days - 1))
        row = max(0, min(row, self.table.rows - 1))
        self.cursor = (day, row)
        self.left = min(max(self.left, day - days + 1), day)
        self.top = min(max(self.top, row - rows + 1), row)
        # no blank lines under the grid while earlier hours are scrolled away above it
        self.top = max(0, min(self.top, self.table.rows - rows))

    def _announce(self, kind: type[Moved]) -> None:
        day, row = self.cursor
        cell = self.table.cell_at(day, row) if self.table else None
        self.post_message(kind(cell, day, row))

    # ---- keys ----------------------------------------------------------------------------
    def action_move(self, days: int, rows: int) -> None:
        was, left, top = self.cursor, self.left, self.top
        day, row = was
        self.cursor = (day + days, row + rows)
        self._clamp()
        if (left, top) != (self.left, self.top):
            self.refresh()  # scrolled: every cell on screen is another one now
        elif was != self.cursor:
            self.refresh(*self._changed_by_move(was, self.cursor))
        self._announce(self.Moved)

    def _changed_by_move(self, was: tuple[int, int], now: tuple[int, int]) -> list[Region]:
        """What the cursor changes on screen: the two cells, and the time labels or day
        headings it leaves and enters (a move down keeps its day heading as it was)."""
        regions = []
        for day, row in (was, now):
            x = LABEL + (day - self.left) * CELL
            y = HEADER + row - self.top
            regions.append(Region(x, y, CELL, 1))
            if was[1] != now[1]:
                regions.append(Region(0, y, LABEL, 1))
            if was[0] != now[0]:
                regions.append(Region(x, 0, CELL, HEADER))
        return regions

    def action_page(self, pages: int) -> None:
        self.action_move(0, pages * self._visible()[1])

    def action_choose(self) -> None:
        self._announce(self.Chosen)

    def on_resize(self) -> None:
        shown = (self.left, self.top)
        self._clamp()
        if (self.left, self.top) != shown:
            self.refresh()  # taller: hours scrolled away come back rather than blank lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return HEADER + (self.table.rows if self.table else 1)

    # ---- drawing -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        table = self.table
        width = self.size.width
        if table is None:
            return Strip([Segment(" " * width)]) if y else Strip([Segment("loading…", _DIM)])
        days, _ = self._visible()
        shown = range(self.left, min(table.days, self.left + days))
        start, _ = table.window()
        if y < HEADER:
            segments = [Segment(" " * LABEL)]
            for day in shown:
                local = (start + timedelta(days=day, hours=12)).astimezone(table.zone)
                text = local.strftime("%a" if y == 0 else "%m-%d")
                style = _CURSOR if day == self.cursor[0] else _HEAD
                segments.append(Segment(f"{text:>{CELL - 1}} ", style))
            return Strip(segments).adjust_cell_length(width)
        row = self.top + y - HEADER
        if row >= table.rows:
            return Strip([Segment(" " * width)])
        minutes = row * table.minutes
        label_style = _CURSOR if row == self.cursor[1] else _DIM
        segments = [Segment(f"{minutes // 60:02}:{minutes % 60:02}", label_style), Segment(" ")]
        for day in shown:
            segments.append(self._cell(table.cell_at(day, row), (day, row) == self.cursor))
            segments.append(Segment(" "))
        return Strip(segments).adjust_cell_length(width)

    def _cell(self, cell: Cell | None, here: bool) -> Segment:
        if cell is None or self.kind not in cell.values:
            return Segment(f"{'-':>3}  ", _CURSOR if here else _DIM)
        value = cell.values[self.kind]
        level = shade(value, self._peak)
        mark = SHADES[level] * 2
        return Segment(f"{value:>3}{mark}", _CURSOR if here else _LEVEL_STYLES[level])
