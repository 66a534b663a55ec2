"""Every key, for every screen, generated from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..focus import QuietFocus


class HelpScreen(QuietFocus, ModalScreen[None]):
    BINDINGS = [
        # ? closes what ? opened (the same meaning, help, toggled); q quits here as everywhere
        Binding("escape,question_mark", "dismiss", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 84; max-width: 100%; height: 90%; border: round $primary; background: $surface; }
    HelpScreen VerticalScroll { padding: 0 1; }
    """

    def __init__(self, bindings: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.bindings = bindings
        """Every place and its bindings (``keys.all_bindings``), given by the app: the help
        screen is one of the places, so it cannot look them up itself without an import cycle."""

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(style="dim")
        for place, bindings in self.bindings:
            table.add_row(Text(place, style="bold underline"), "", "")
            for binding in bindings:
                keys = ", ".join(
                    self.app.get_key_display(Binding(k, binding.action))
                    for k in binding.key.split(",")
                )
                table.add_row(keys, binding.description or binding.action, binding.id or "")
            table.add_row("", "", "")
        with Vertical():
            yield Static(
                Text(
                    " Keys — the third column is the id to remap a key in config.toml; esc closes",
                    style="bold",
                )
            )
            with VerticalScroll(can_focus=True):
                yield Static(table)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
