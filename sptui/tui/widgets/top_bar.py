"""The line at the top of every screen: where you are, what you are connected to, what is going on.

The mode marker is always visible, and LIVE looks nothing like DEMO, so nobody cancels a real
job believing it is the demo.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from sptui.desk.desk import Mode

from .steady import SteadyStatic

_MODE_TEXT = {
    Mode.DEMO: " DEMO · simulator, no real jobs ",
    Mode.SANDBOX: " SANDBOX · Amazon test data ",
    Mode.LIVE: " LIVE · real jobs and buyers ",
}


class ModeBadge(Static):
    DEFAULT_CSS = """
    ModeBadge { width: auto; text-style: bold; }
    ModeBadge.-demo { background: $warning; color: $background; }
    ModeBadge.-sandbox { background: $primary; color: $background; }
    ModeBadge.-live { background: $error; color: white; text-style: bold; }
    """

    def __init__(self, mode: Mode, *, compact: bool = False) -> None:
        text = f" {mode.value} " if compact else _MODE_TEXT[mode]
        super().__init__(text, classes=f"-{mode.value.lower()}")
        self.mode = mode


class OfflineBadge(Static):
    """OFFLINE, beside the mode, on every screen while Amazon cannot be reached."""

    DEFAULT_CSS = """
    OfflineBadge { width: auto; text-style: bold; background: $error; color: white; display: none; }
    OfflineBadge.-offline { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(" OFFLINE ")

    def on_mount(self) -> None:
        self.watch(self.app, "offline", self._follow, init=True)

    def _follow(self, offline: bool) -> None:
        self.set_class(offline, "-offline")


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; }
    TopBar > #title { width: auto; padding: 0 1; text-style: bold; }
    TopBar > #where { width: auto; padding: 0 1; color: $text-muted; }
    TopBar > #status { width: 1fr; text-align: right; padding: 0 1; }
    """

    status: reactive[str | Text] = reactive("", repaint=False)  # #status repaints itself

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        yield ModeBadge(session.mode, compact=self.app.size.width < 100)
        if hasattr(self.app, "offline"):
            yield OfflineBadge()
        yield Static(Text(self.title), id="title")
        yield Static(Text(session.label), id="where")
        yield SteadyStatic(id="status")

    def on_mount(self) -> None:
        self.watch_status(self.status)  # a status set before the bar was up is not lost

    def watch_status(self, value: str | Text) -> None:
        if self.is_mounted:
            self.query_one("#status", Static).update(
                Text(value) if isinstance(value, str) else value
            )
