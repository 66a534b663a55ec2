"""Pick the profile to work in, or the demo world."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from sptui.config.store import Loaded
from sptui.desk.connect import mode_of

from .base import Dialog

DEMO = ""
ADD = "+add"


class ProfilePicker(Dialog[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="profiles.cancel")]
    DEFAULT_CSS = """
    ProfilePicker > Vertical { width: 76; max-height: 90%; }
    ProfilePicker OptionList { height: auto; max-height: 16; border: none; }
    """

    def __init__(self, loaded: Loaded, current: str | None) -> None:
        super().__init__()
        self.loaded = loaded
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(Text("Demo world · the built-in simulator, no real jobs"), id="demo")]
        for name, profile in self.loaded.config.profiles.items():
            endpoint = profile.api_endpoint()
            mode = mode_of(endpoint).value
            here = "  ← current" if name == self.current else ""
            options.append(
                Option(
                    Text(f"{name} · {mode} · {endpoint.base_url} · {profile.marketplace_id}{here}"),
                    id=f"p:{name}",
                )
            )
        options.append(Option(Text("+ Add a profile…"), id="add"))
        with Vertical():
            yield Label("Switch profile — enter chooses, esc cancels")
            yield OptionList(*options, id="choices")
            if not self.loaded.config.profiles:
                yield Label(
                    Text(
                        f"No profiles in {self.loaded.path} yet: `sptui profile add NAME` makes one.",
                        style="dim",
                    )
                )

    def on_mount(self) -> None:
        """The current profile highlighted (the demo when it is the demo): enter keeps it."""
        box = self.query_one("#choices", OptionList)
        here = f"p:{self.current}" if self.current else "demo"
        ids = [box.get_option_at_index(i).id for i in range(box.option_count)]
        box.highlighted = ids.index(here) if here in ids else 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or "demo"
        choice = {"demo": DEMO, "add": ADD}.get(option_id, option_id.removeprefix("p:"))
        self.dismiss(choice)
