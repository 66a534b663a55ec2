"""One journal line, whole: message, request id, warnings, errors, ids, parameters, user."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from sptui.desk.journal_view import entry_lines

from ..text import clean, clean_lines
from ..widgets.section import section
from .base import Dialog


class JournalEntry(Dialog[None]):
    BINDINGS = [
        Binding("escape,enter", "dismiss(None)", "Close", id="journal_entry.close"),
        Binding("y", "copy_request_id", "Copy request id", id="journal_entry.copy"),
    ]
    DEFAULT_CSS = """
    JournalEntry > Vertical { width: 100; }
    JournalEntry VerticalScroll { height: auto; max-height: 1fr; }
    """

    def __init__(self, entry: dict[str, Any], zone: tzinfo | None) -> None:
        super().__init__()
        self.entry = entry
        self.zone = zone

    def compose(self) -> ComposeResult:
        pairs = [(clean(k), Text(clean_lines(v))) for k, v in entry_lines(self.entry, self.zone)]
        with Vertical():
            yield Label(Text("Journal entry · esc closes · y copies the request id", style="bold"))
            with VerticalScroll(can_focus=True):
                yield Static(section("", pairs))  # type: ignore[arg-type]

    def action_copy_request_id(self) -> None:
        rid = clean(self.entry.get("request_id") or "")
        if rid:
            self.app.copy_to_clipboard(rid)
            self.notify(f"Copied request id {rid}", timeout=3)
