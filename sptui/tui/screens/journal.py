"""The journal, newest first: every write attempted, with its outcome and request id.

Operations read in words with Amazon's name beside; enter opens a line whole (its message,
request id, warnings, errors, ids, parameters and the user who wrote it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.journal_view import operation_words
from sptui.desk.local_time import zone_name

from ..focus import QuietFocus
from ..text import clean
from ..widgets.fitted import Phrases
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import Column, Row, VirtualTable

COLUMNS = [
    Column("time", "Time", 14, priority=0),
    Column("outcome", "Outcome", 11, priority=0),
    Column("operation", "Operation", 22, flex=1, priority=1, most=48),  # the longest name
    Column("ids", "Job / ids", 18, priority=0),
    Column("profile", "Profile", 10, priority=3),
    Column("request", "Request id", 36, priority=2),
]
OUTCOME_STYLE = {
    "succeeded": "completed",
    "applied": "completed",
    "failed": "problem",
    "not applied": "problem",
    "unknown": "hold",
    "not sent": "cancelled",
    "sending": "pending",
}


def journal_time(text: str, zone: object) -> str:
    """An entry's time, short, in the user's zone (as it was written if it is not a time)."""
    try:
        return datetime.fromisoformat(text).astimezone(zone).strftime("%m-%d %H:%M:%S")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return clean(text)[:14]


class JournalScreen(QuietFocus, Screen[None]):
    DEFAULT_CSS = "JournalScreen #where { padding-left: 1; }"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="journal.back"),
        Binding("r", "reload", "Reload", id="journal.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[dict[str, Any]] = []
        """As listed: newest first, a row's key its index here."""

    def compose(self) -> ComposeResult:
        yield TopBar("Journal")
        yield SteadyStatic(id="where")
        yield VirtualTable(
            COLUMNS,
            empty="No writes yet: every cancel, complete or booking appears here",
            id="entries",
        )
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one(VirtualTable).focus()

    def action_reload(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        zone = session.zone
        rows = []
        self.entries = list(reversed(list(session.journal.entries())))
        for n, entry in enumerate(self.entries):
            outcome = clean(entry.get("outcome", "?"))
            ids = entry.get("ids") or {}
            cells = (
                journal_time(str(entry.get("time", "")), zone),
                outcome,
                operation_cell(str(entry.get("operation", "?"))),
                " ".join(clean(v) for v in ids.values()) or "-",
                clean(entry.get("profile", "-")),
                clean(entry.get("request_id") or "-"),
            )
            rows.append(Row(str(n), cells, OUTCOME_STYLE.get(outcome, "unknown")))
        self.query_one(VirtualTable).set_rows(rows)
        self.query_one(TopBar).status = f"{len(rows)} entries"
        self.query_one("#where", Static).update(
            Phrases(
                [
                    f"{session.journal.path}",
                    "newest first",
                    f"times in {zone_name(zone)}",
                    "enter shows a line whole",
                ]
            )
        )

    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        from ..dialogs.journal_entry import JournalEntry

        index = int(message.row.key)
        if 0 <= index < len(self.entries):
            self.app.push_screen(JournalEntry(self.entries[index], self.app.session.zone))  # type: ignore[attr-defined]


def operation_cell(operation: str) -> str:
    """The operation in words, Amazon's name beside it (cut first when the column is narrow)."""
    words = operation_words(operation)
    return clean(f"{words} · {operation}" if words != operation else operation)
