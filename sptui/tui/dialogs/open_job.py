"""Open a job by its id, typed or pasted."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from .base import Dialog


class OpenJobDialog(Dialog[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = """
    OpenJobDialog > Vertical { width: 60; max-width: 95%; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a service job by its id")
            yield Input(placeholder="service job id", id="job-id")
            yield Static("", id="problem")
            yield Label("enter opens · esc cancels", classes="hint")

    @on(Input.Changed, "#job-id")
    def check(self, event: Input.Changed) -> None:
        self.query_one("#problem", Static).update(self._problem(event.value.strip()) or "")

    @on(Input.Submitted, "#job-id")
    def submit(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        problem = self._problem(value)
        if problem:
            self.query_one("#problem", Static).update(problem)
            return
        self.dismiss(value)

    @staticmethod
    def _problem(value: str) -> str | None:
        if not value:
            return "Type or paste a job id."
        if len(value) > 100:
            return "A job id is at most 100 characters."
        if any(c.isspace() for c in value):
            return "A job id has no spaces."
        return None
