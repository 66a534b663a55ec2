"""Say exactly what a write will do, and send it only on a yes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from .base import Dialog


class ConfirmWrite(Dialog[bool | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="confirm.back"),
        Binding("ctrl+s", "confirm", "Confirm", id="confirm.confirm"),
    ]
    DEFAULT_CSS = """
    ConfirmWrite > Vertical { width: 90; border: thick $warning; }
    ConfirmWrite.-danger > Vertical { border: thick $error; }
    ConfirmWrite VerticalScroll { height: auto; max-height: 14; }
    ConfirmWrite #note { color: $warning; height: auto; }
    """

    def __init__(
        self,
        title: str,
        body: Text | str,
        verb: str,
        *,
        note: str = "",
        danger: bool = False,
        hint: str = "ctrl+s confirms · esc goes back, nothing sent",
    ) -> None:
        super().__init__(classes="-danger" if danger else "")
        self.title_text = title
        self.body = body
        self.verb = verb
        self.note = note
        self.danger = danger
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            with VerticalScroll():
                yield Static(self.body)
            if self.note:
                yield Static(self.note, id="note")
            yield Label(Text(self.hint, style="dim"))
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button(self.verb, id="confirm", variant="error" if self.danger else "primary")

    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm")
    def confirm_pressed(self) -> None:
        self.action_confirm()
