"""One capacity cell in full: each type's number, and in range mode the runs Amazon answered."""

from __future__ import annotations

from datetime import tzinfo

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from sptui.desk.capacity import LABELS, TYPES, Cell
from sptui.desk.formatting import zone_label

from .base import Dialog

MEANINGS = {
    "scheduled": "in the technician's schedule",
    "available": "free to book now",
    "encumbered": "taken by appointments",
    "reserved": "held by reservations (breaks, travel, training, vacation)",
}


class CellDetail(Dialog[None]):
    BINDINGS = [
        Binding("escape,enter", "dismiss(None)", "Close", id="cell_detail.close"),
    ]
    DEFAULT_CSS = "CellDetail > Vertical { width: 76; }"

    def __init__(self, cell: Cell, zone: tzinfo | None) -> None:
        super().__init__()
        self.cell = cell
        self.zone = zone

    def compose(self) -> ComposeResult:
        cell, zone = self.cell, self.zone
        start, end = cell.start.astimezone(zone), cell.end.astimezone(zone)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(justify="right")
        grid.add_column(style="dim")
        for kind in TYPES:
            if kind in cell.values:
                label = LABELS[kind]
                grid.add_row(label, str(cell.values[kind]), MEANINGS[label])
        with Vertical():
            yield Label(
                Text(
                    f"{start:%A %d %B %Y, %H:%M}-{end:%H:%M} {zone_label(cell.start, zone)}",
                    style="bold",
                )
            )
            yield Static(grid)
            if cell.segments:
                runs = Text("\nAs Amazon answered (range slots):\n", style="bold")
                for kind in TYPES:
                    for s, e, value in cell.segments.get(kind, []):
                        runs.append(
                            f"  {LABELS[kind]:<11}{value:>3}  "
                            f"{s.astimezone(zone):%a %d %b %H:%M} - {e.astimezone(zone):%a %d %b %H:%M}\n"
                        )
                yield Static(runs)
            yield Label(Text("esc closes", style="dim"))
