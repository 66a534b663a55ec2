"""A table that draws only the lines on screen, so 10,000 rows cost what 50 do.

Textual's DataTable measures every cell as rows are added (about 1.6 s for 10,000 jobs here) and
re-lays out on each change, which makes typing a filter over a large list lag. This table keeps
plain row tuples, sizes columns from the terminal's width instead of their content, and renders
each visible line on demand; narrowing the list is replacing a Python list.

Over SSH every byte written is latency, and Textual sends again every line of a widget that asks
for a whole repaint. So the table remembers what each line last drew and, whatever changed (the
cursor, the rows, a mark), asks Textual to repaint only the lines that would now draw differently:
a cursor move sends two rows, a watch refresh that changed nothing sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int
    """Fixed width in cells; for a flexible column, its minimum."""
    flex: int = 0
    """A flexible column's share of the width left over (0: fixed; True counts as 1)."""
    priority: int = 0
    """Columns with a higher priority give way first when the terminal is narrow."""
    most: int | None = None
    """A flexible column grows no wider than this; what it does not take goes to the others."""


ELLIPSIS = "…"


def fit_cell(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or shortened to end in an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if width < 1:
        return ""
    return set_cell_size(text, width - 1) + ELLIPSIS


def share(spare: int, weights: dict[int, int], room: dict[int, int | None]) -> dict[int, int]:
    """``spare`` cells shared out by weight, none past a column's ``room`` (None: no limit)."""
    given = dict.fromkeys(weights, 0)
    while spare > 0:
        growing = [i for i, w in weights.items() if w > 0 and given[i] != room[i]]
        if not growing:
            break
        total = sum(weights[i] for i in growing)
        parts = {i: spare * weights[i] // total for i in growing}
        for i in growing[: spare - sum(parts.values())]:  # the remainder, a cell each
            parts[i] += 1
        for i in growing:
            limit = room[i]
            part = parts[i] if limit is None else min(parts[i], limit - given[i])
            given[i] += part
            spare -= part
    return given


@dataclass
class Row:
    key: str
    cells: tuple[str, ...]
    status: str = ""
    """Names the status style of the first column (pending, scheduled, ...)."""
    mark: str = "  "
    """A two-cell gutter: new, changed or selected, readable without colour."""


LineState = str | tuple[str, tuple[str, ...], str, str, bool]
"""What a line draws: "header", "empty", "blank", or a row's key, cells, status, mark and cursor."""


class VirtualTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; scrollbar-gutter: stable; overflow-x: hidden; }
    VirtualTable > .vtable--header { text-style: bold; background: $panel; color: $foreground; }
    VirtualTable > .vtable--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VirtualTable:blur > .vtable--cursor { background: $block-cursor-blurred-background; text-style: none; }
    VirtualTable > .vtable--fresh { text-style: bold; color: $accent; }
    VirtualTable > .vtable--pending { color: $warning; }
    VirtualTable > .vtable--scheduled { color: $primary; }
    VirtualTable > .vtable--completed { color: $success; }
    VirtualTable > .vtable--cancelled { color: $text-muted; }
    VirtualTable > .vtable--hold { color: $secondary; }
    VirtualTable > .vtable--problem { color: $error; }
    VirtualTable > .vtable--unknown { color: $foreground; }
    VirtualTable > .vtable--empty { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {
        "vtable--header",
        "vtable--cursor",
        "vtable--fresh",
        "vtable--pending",
        "vtable--scheduled",
        "vtable--completed",
        "vtable--cancelled",
        "vtable--hold",
        "vtable--problem",
        "vtable--unknown",
        "vtable--empty",
    }
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "edge(0)", "First", show=False, id="table.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="table.last"),
        # Off the footer: enter to open is what everyone tries first; ? and the palette list it.
        Binding("enter", "activate", "Open", show=False, id="table.open"),
        # A cell too long for its column ends in "…": this shows the whole row.
        Binding("o", "show_row", "Row in full", show=False, id="table.row"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to ``index`` (-1 when the table is empty)."""

        def __init__(self, table: VirtualTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    class Activated(Message):
        def __init__(self, table: VirtualTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class ShowRow(Message):
        """Show every column of ``row`` in full (the console answers with a dialog)."""

        def __init__(self, fields: list[tuple[str, str]]) -> None:
            super().__init__()
            self.fields = fields

    def __init__(
        self, columns: Sequence[Column], *, empty: str = "Nothing to show", **kw: object
    ) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.columns = list(columns)
        self.rows: Sequence[Row] = []
        """A list, or any sequence that reads its rows on demand (the jobs list pages them from
        the job store): only ``len`` and the rows on screen are ever asked for."""
        self.empty_text = empty
        self.status_column = next(
            (i for i, c in enumerate(columns) if c.key in ("status", "outcome")), 0
        )
        self._layout: list[tuple[Column, int, int]] = []  # (column, index, width)
        self._styles: dict[str, Style] = {}
        self._drawn: dict[int, LineState] = {}
        """What each line (by y) showed when Textual last asked for it."""
        self._sizes: tuple[Size, Size, Size] | None = None

    # ---- data ----------------------------------------------------------------------------
    def set_rows(
        self, rows: Sequence[Row], *, keep: str | None = None, at: int | None = None
    ) -> None:
        """Show ``rows``; the cursor stays on the row keyed ``keep`` if it is still there, or
        goes to row ``at`` (a caller whose rows are not all in memory finds the row itself)."""
        self.rows = rows
        self._size_to_rows()
        target = 0
        if at is not None:
            target = at
        elif keep is not None:
            target = next(
                (i for i, r in enumerate(rows) if r.key == keep), min(self.cursor, len(rows) - 1)
            )
        self.cursor = max(0, min(target, len(rows) - 1))  # its watcher repaints what changed

    def append_rows(self, rows: list[Row]) -> None:
        """Add rows at the end; only the lines they fill on screen are repainted, if any."""
        if not rows:
            return
        first = len(self.rows)
        assert isinstance(self.rows, list), "rows read on demand are not appended to"
        self.rows.extend(rows)
        self._size_to_rows()
        if first == 0:
            self.cursor = 0
        else:
            self.repaint_changed()

    def update_row(self, row: Row) -> None:
        assert isinstance(self.rows, list), "rows read on demand are not replaced one by one"
        for i, current in enumerate(self.rows):
            if current.key == row.key:
                self.rows[i] = row
                self.repaint_changed()
                return

    def _size_to_rows(self) -> None:
        """Let the scrollbar know how many rows there are, without repainting them.

        Assigning ``virtual_size`` repaints the whole table; the layout pass alone is what moves
        the scrollbar, and the lines that really change are repainted by ``repaint_changed``.
        """
        size = Size(self.scrollable_content_region.width, len(self.rows) + 1)
        if size != self.virtual_size:
            self.set_reactive(VirtualTable.virtual_size, size)
            self.refresh(repaint=False, layout=True)

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # ---- layout --------------------------------------------------------------------------
    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # ScrollView compares the compositor's virtual size (the box) with ours (the rows): they
        # never match, so every layout pass anywhere on the screen repainted both scrollbars.
        sizes = (size, self.virtual_size, container_size)
        if sizes == self._sizes:
            return False
        resized = self._sizes is None or self._sizes[0] != size
        self._sizes = sizes
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if resized:
            # The compositor repaints a resized widget whole in this same layout pass; the
            # whole-widget repaint Textual also queues here would go out again with the next
            # partial one (the first cursor move after `/` or `escape` sent the whole table).
            self._repaint_regions.clear()
        return changed

    def on_resize(self, event: events.Resize) -> None:
        # As wide as the rows are drawn, the scrollbar's gutter aside: a virtual width that
        # counted the gutter made room for a horizontal scrollbar nothing could scroll.
        width = self.scrollable_content_region.width
        self._layout = self._fit(width)
        self.virtual_size = Size(width, len(self.rows) + 1)
        self._reveal()

    def _fit(self, width: int) -> list[tuple[Column, int, int]]:
        """Which columns fit, and how wide each is: gutter, then 1 space between columns."""
        chosen = sorted(range(len(self.columns)), key=lambda i: self.columns[i].priority)
        room = width - 2
        keep: list[int] = []
        used = 0
        for i in chosen:
            need = self.columns[i].width + (1 if keep else 0)
            if used + need <= room:
                keep.append(i)
                used += need
        keep.sort()
        extra = share(
            room - used,
            {i: int(self.columns[i].flex) for i in keep},
            {i: self._room(self.columns[i]) for i in keep},
        )
        return [(self.columns[i], i, self.columns[i].width + extra[i]) for i in keep]

    @staticmethod
    def _room(column: Column) -> int | None:
        return None if column.most is None else max(0, column.most - column.width)

    # ---- rendering -----------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        """Component styles, looked up once per style change rather than once per cell."""
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if name == "base" else self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        self._styles.clear()
        super().notify_style_update()

    def repaint_changed(self) -> None:
        """Ask Textual to repaint only the lines that would now draw differently."""
        width = self.scrollable_content_region.width
        changed = [
            Region(0, y, width, 1)
            for y in range(self.scrollable_content_region.height)
            if self._drawn.get(y) != self._shows(y)
        ]
        if changed:
            self.refresh(*changed)

    def _shows(self, y: int) -> LineState:
        """What line ``y`` draws, as a value: equal values draw equal lines."""
        if y == 0:
            return "header"
        index = self.scroll_offset.y + y - 1
        if not self.rows:
            return "empty: " + self.empty_text if y == 1 else "blank"
        if index >= len(self.rows):
            return "blank"
        row = self.rows[index]
        return (row.key, row.cells, row.status, row.mark, index == self.cursor)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self._layout:
            self._layout = self._fit(width)
        self._drawn[y] = self._shows(y)
        if y == 0:
            style = self._style("vtable--header")
            text = "  " + " ".join(fit_cell(c.title, w) for c, _, w in self._layout)
            return Strip([Segment(set_cell_size(text, width), style)])
        index = self.scroll_offset.y + y - 1
        if not self.rows and y == 1:
            style = self._style("vtable--empty")
            return Strip([Segment(set_cell_size("  " + self.empty_text, width), style)])
        if index >= len(self.rows):
            return Strip.blank(width, self._style("base"))
        return Strip(self._row_segments(self.rows[index], index == self.cursor, width))

    def _row_segments(self, row: Row, selected: bool, width: int) -> list[Segment]:
        base = self._style("base")
        if selected:
            base = base + self._style("vtable--cursor")
        segments = [Segment(row.mark, base + self._fresh_style(row))]
        used = 2
        for n, (_, index, cell_width) in enumerate(self._layout):
            text = row.cells[index] if index < len(row.cells) else ""
            style = base
            if index == self.status_column and row.status and not selected:
                style = base + self._style(f"vtable--{row.status}")
            prefix = " " if n else ""
            segments.append(Segment(prefix + fit_cell(text, cell_width), style))
            used += len(prefix) + cell_width
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return segments

    def _fresh_style(self, row: Row) -> Style:
        return self._style("vtable--fresh") if row.mark.strip() else Style()

    # ---- cursor --------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._reveal()  # if that scrolls, watch_scroll_y has repainted the rows already
        self.repaint_changed()
        self.post_message(self.Highlighted(self, new if self.rows else -1))

    def watch_scroll_y(self, old: float, new: float) -> None:
        # ScrollView repaints the whole table on a scroll; the header line stays as it was.
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = new
        if round(old) != round(new):
            self.repaint_changed()

    def _reveal(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 2))

    def action_edge(self, end: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if end else 0

    def action_activate(self) -> None:
        if self.current is not None:
            self.post_message(self.Activated(self, self.current))

    def action_show_row(self) -> None:
        row = self.current
        if row is not None:
            cells = row.cells
            self.post_message(
                self.ShowRow(
                    [
                        (c.title, cells[i] if i < len(cells) else "")
                        for i, c in enumerate(self.columns)
                    ]
                )
            )

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_activate()
            self.cursor = index
