"""A table row in full: every column's title and whole text, for the cells a narrow table
shortens (they end in "…")."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from .base import Dialog


class RowDetail(Dialog[None]):
    BINDINGS = [Binding("escape,enter,o", "dismiss(None)", "Close", id="row_detail.close")]
    DEFAULT_CSS = "RowDetail > Vertical { width: 84; }"

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        super().__init__()
        self.fields = fields

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for title, value in self.fields:
            grid.add_row(Text(title), Text(value or "-"))
        with Vertical():
            with VerticalScroll():
                yield Static(grid)
            yield Label(Text("esc closes", style="dim"))
