"""Confirm a write made from the dispatch board: exactly what will be sent, before anything is.

A move asks for its reschedule reason code here, and the preview follows what is typed (the
code is part of what is sent). Dismisses with the reason code ("" when none is asked) on a yes,
None on a no.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from sptui.desk.flows.close import reason_problem

from ..widgets.steady import SteadyStatic
from .base import Dialog

Describe = Callable[[str | None], list[str]]
"""The preview's lines for a reason code; raises ValueError (NotPossible) saying why not."""


class BoardConfirm(Dialog[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="board_confirm.back"),
        Binding("ctrl+s", "confirm", "Confirm", id="board_confirm.confirm"),
    ]
    DEFAULT_CSS = """
    BoardConfirm > Vertical { width: 90; border: thick $warning; }
    BoardConfirm VerticalScroll { height: auto; max-height: 12; }
    BoardConfirm .row > Label { width: 14; }
    """

    def __init__(self, title: str, describe: Describe, verb: str, reason: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.describe = describe
        self.verb = verb
        self.reason = reason
        """The reason code to start from; None when the write takes none."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            with VerticalScroll():
                yield SteadyStatic("", id="body", markup=False)
            if self.reason is not None:
                with Horizontal(classes="row"):
                    yield Label("Reason code")
                    yield Input(self.reason, placeholder="R1 (in Amazon's model)", id="reason")
            yield SteadyStatic("", id="problem", markup=False)
            yield Label(Text("ctrl+s confirms · esc goes back, nothing sent", style="dim"))
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button(self.verb, id="confirm", variant="primary")

    def on_mount(self) -> None:
        self._show()
        if self.reason is None:
            self.query_one("#confirm", Button).focus()

    def _reason(self) -> str | None:
        if self.reason is None:
            return None
        return self.query_one("#reason", Input).value.strip()

    def _show(self) -> str:
        """Preview the write as it stands; the problem that stops it, if any."""
        reason = self._reason()
        problem = ""
        if reason is not None and reason_problem(reason):
            problem = "a reschedule needs a reason code: 1-100 of A-Z, 0-9 and _"
        else:
            try:
                self.query_one("#body", Static).update("\n".join(self.describe(reason)))
            except ValueError as why:
                problem = f"Not possible: {why}"
        self.query_one("#problem", Static).update(problem)
        return problem

    @on(Input.Changed, "#reason")
    def reason_changed(self) -> None:
        self._show()

    def action_confirm(self) -> None:
        if not self._show():
            self.dismiss(self._reason() or "")

    @on(Button.Pressed, "#confirm")
    def confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Input.Submitted, "#reason")
    def reason_submitted(self) -> None:
        self.action_confirm()
