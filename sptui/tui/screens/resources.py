"""The technicians ("resources") the profile knows: named in its config, or seen on its jobs.

Amazon has no call that lists a provider's resources, so these two are all there is; one not
listed can still be opened by its id (`i`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ..focus import QuietFocus
from ..text import clean
from ..widgets.steady import SteadyFooter
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import Column, Row, VirtualTable

COLUMNS = [
    Column("name", "Name", 28, flex=1, priority=0, most=40),
    Column("id", "Resource ID", 16, priority=0),
    Column("skills", "Skills", 24, flex=2, priority=1),
    Column("from", "Known from", 12, priority=2),
]


class ResourcesScreen(QuietFocus, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="resources.back"),
        Binding("enter", "capacity", "Capacity", id="resources.capacity"),
        Binding("e", "schedule", "Schedule", id="resources.schedule"),
        Binding("v", "reservations", "Reservations", id="resources.reservations"),
        Binding(
            "i",
            "by_id",
            "By id…",
            tooltip="Open a resource not listed, by its id",
            id="resources.by_id",
        ),
    ]
    DEFAULT_CSS = """
    ResourcesScreen #note { height: auto; padding: 0 1; color: $text-muted; }
    ResourcesScreen VirtualTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield TopBar("Technicians")
        yield Static(
            "enter shows capacity · named in your config, seen on your jobs or scheduled "
            "from sptui (Amazon has no call that lists them)",
            id="note",
        )
        yield VirtualTable(
            COLUMNS,
            empty="None known yet: name them under resources in the config, or press i",
            id="table",
        )
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(VirtualTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.resources = self.app.session.known_technicians()  # type: ignore[attr-defined]
        rows = [
            Row(rid, (clean(name), clean(rid), ", ".join(clean(s) for s in skills) or "-", where))
            for rid, name, skills, where in self.resources
        ]
        self.query_one(VirtualTable).set_rows(rows, keep=self._current_id())
        self.query_one(TopBar).status = f"{len(rows)} known"

    def _current_id(self) -> str | None:
        row = self.query_one(VirtualTable).current
        return row.key if row else None

    def _current(self) -> tuple[str, str] | None:
        rid = self._current_id()
        if rid is None:
            self.notify("No technician here: press i to open one by its id.", timeout=5)
            return None
        name = next((n for r, n, *_ in self.resources if r == rid), rid)
        return rid, name

    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        self.action_capacity()

    def action_capacity(self) -> None:
        from .capacity import CapacityScreen

        found = self._current()
        if found:
            self.app.push_screen(CapacityScreen(*found))

    def action_schedule(self) -> None:
        from .schedule import ScheduleScreen

        found = self._current()
        if found:
            self.app.push_screen(ScheduleScreen(*found))

    def action_reservations(self) -> None:
        from .reservations import ReservationsScreen

        found = self._current()
        if found:
            self.app.push_screen(ReservationsScreen(*found))

    def action_by_id(self) -> None:
        from ..dialogs.open_job import OpenJobDialog
        from .capacity import CapacityScreen

        self.app.push_screen(
            OpenJobDialog("Open a technician by resource id", "resource id"),
            lambda rid: self.app.push_screen(CapacityScreen(rid)) if rid else None,
        )
