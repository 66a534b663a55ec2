"""The line at the top of every screen: where you are, what you are connected to, what is going on.

The mode marker is always visible, and LIVE looks nothing like DEMO, so nobody cancels a real
job believing it is the demo.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
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
        super().__init__(self.text(mode, compact), classes=f"-{mode.value.lower()}")
        self.mode = mode

    @staticmethod
    def text(mode: Mode, compact: bool) -> str:
        return f" {mode.value} " if compact else _MODE_TEXT[mode]

    def fit(self, compact: bool) -> int:
        """Say the mode in a word (compact) or in full; returns the cells it takes."""
        text = self.text(self.mode, compact)
        if text != self.content:
            self.update(text)
        return cell_len(text)


class OfflineBadge(Static):
    """OFFLINE, beside the mode, on every screen while Amazon cannot be reached."""

    DEFAULT_CSS = """
    OfflineBadge { width: auto; text-style: bold; background: $error; color: white; display: none; }
    OfflineBadge.-offline { display: block; }
    """
    TEXT = " OFFLINE "

    def __init__(self) -> None:
        super().__init__(self.TEXT)

    def on_mount(self) -> None:
        self.watch(self.app, "offline", self._follow, init=True)

    def _follow(self, offline: bool) -> None:
        self.set_class(offline, "-offline")
        if isinstance(self.parent, TopBar):
            self.parent._fit()

    @property
    def cells(self) -> int:
        return cell_len(self.TEXT) if self.has_class("-offline") else 0


class TopBar(Horizontal):
    """Mode, title, where and status on one line, none of them cut: when the line is short,
    the title drops what the screen shows anyway (its short form) and where it is connected
    shortens to the profile's name, then gives way; the status, what is going on, stays."""

    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; }
    TopBar > #title { width: auto; padding: 0 1; text-style: bold; }
    TopBar > #where { width: auto; padding: 0 1; color: $text-muted; }
    TopBar > #status { width: 1fr; text-align: right; padding: 0 1; }
    """

    status: reactive[str | Text] = reactive("", repaint=False)  # #status repaints itself

    def __init__(self, title: str, short: str | None = None) -> None:
        super().__init__()
        self.title = title
        self.short_title = short or title
        """The title without what the screen shows anyway, for a narrow line."""

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        yield ModeBadge(session.mode, compact=self.app.size.width < 100)
        if hasattr(self.app, "offline"):
            yield OfflineBadge()
        yield SteadyStatic(Text(self.title), id="title")
        yield SteadyStatic(Text(session.label), id="where")
        yield SteadyStatic(id="status")

    def on_resize(self) -> None:
        self._fit()

    def watch_status(self, value: str | Text) -> None:
        if self.is_mounted:
            self._fit()
            shown = Text(value) if isinstance(value, str) else value
            self.query_one("#status", Static).update(shown)

    def status_room(self, *, whole: bool = True) -> int:
        """The cells a status may take with the title and where it is connected shown whole
        (``whole=False``: where shortened to the profile's name). A screen with a long and a
        short way to say its status picks by it."""
        width = self.size.width or self.app.size.width
        session = self.app.session  # type: ignore[attr-defined]
        badge = cell_len(ModeBadge.text(session.mode, width < 100))
        offline = sum(b.cells for b in self.query(OfflineBadge)) if self.is_mounted else 0
        where = session.label if whole else session.profile or "demo world"
        return width - badge - offline - (cell_len(self.title) + 2) - (cell_len(where) + 4)

    def _fit(self) -> None:
        width = self.size.width
        if not width:
            return
        session = self.app.session  # type: ignore[attr-defined]
        room = width - self.query_one(ModeBadge).fit(compact=width < 100)
        room -= sum(badge.cells for badge in self.query(OfflineBadge))
        if self.status:
            status = self.status if isinstance(self.status, str) else self.status.plain
            room -= cell_len(status) + 2
        title = next(
            (t for t in (self.title, self.short_title) if cell_len(t) + 2 <= room),
            # narrower than 80 columns, a long name: the title gives way, not the status
            set_cell_size(self.short_title, max(room - 3, 4)) + "…",
        )
        room -= cell_len(title) + 2
        labels = (session.label, session.profile or "demo world")
        where = next((w for w in labels if cell_len(w) + 2 <= room), "")
        self.query_one("#title", Static).update(Text(title))
        shown = self.query_one("#where", Static)
        shown.update(Text(where))
        shown.display = bool(where)
