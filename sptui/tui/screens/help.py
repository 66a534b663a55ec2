"""Every key, for every screen, generated from the bindings themselves."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
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
        rows = [
            (
                place,
                [
                    (
                        ", ".join(
                            self.app.get_key_display(Binding(k, binding.action))
                            for k in binding.key.split(",")
                        ),
                        binding.description or binding.action,
                        binding.id or "",
                    )
                    for binding in bindings
                ],
            )
            for place, bindings in self.bindings
        ]
        # One width per column on the whole screen, so keys, what they do and their ids line up
        # from one place to the next; no column is cut (the longest id fits at 80 columns).
        widths = [
            max((cell_len(row[n]) for _, r in rows for row in r), default=1) for n in range(3)
        ]
        blocks: list[RenderableType] = []
        for place, entries in rows:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, width=widths[0])
            table.add_column(width=widths[1])
            table.add_column(style="dim", no_wrap=True, width=widths[2])
            for keys, description, binding_id in entries:
                table.add_row(Text(keys), Text(description), Text(binding_id))
            blocks += [Text(place, style="bold underline"), table, Text("")]
        with Vertical():
            yield Static(
                Text(
                    " Keys — the third column is the id to remap a key in config.toml; esc closes",
                    style="bold",
                )
            )
            with VerticalScroll(can_focus=True):
                yield Static(Group(*blocks))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
