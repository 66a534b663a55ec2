"""Open something by its id, typed or pasted: a job, or a technician (resource)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ..widgets.steady import SteadyStatic
from .base import Dialog


class OpenJobDialog(Dialog[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = """
    OpenJobDialog > Vertical { width: 60; max-width: 95%; }
    """

    def __init__(self, title: str = "Open a service job by its id", noun: str = "job id") -> None:
        super().__init__()
        self.title_text = title
        self.noun = noun

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder=self.noun, id="job-id")
            yield SteadyStatic("", id="problem")
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

    def _problem(self, value: str) -> str | None:
        if not value:
            return f"Type or paste a {self.noun}."
        if len(value) > 100:
            return f"A {self.noun} is at most 100 characters."
        if any(c.isspace() for c in value):
            return f"A {self.noun} has no spaces."
        return None
