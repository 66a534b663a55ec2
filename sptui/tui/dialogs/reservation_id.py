"""Work on a reservation sptui did not make: its id, and whether to change or cancel it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ..widgets.steady import SteadyStatic
from .base import Dialog


def reservation_id_problem(value: str) -> str | None:
    if not value:
        return "type or paste a reservation id"
    if len(value) > 100 or any(c.isspace() or c == "/" for c in value):
        return "not a reservation id"
    return None


class ReservationIdDialog(Dialog[tuple[str, str] | None]):
    """Dismisses with ("edit" or "cancel", the id)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="reservation_id.back")]
    DEFAULT_CSS = """
    ReservationIdDialog > Vertical { width: 64; }
    ReservationIdDialog .row > Label { width: 16; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("A reservation made elsewhere, by its id")
            with Horizontal(classes="row"):
                yield Label("Reservation id")
                yield Input(placeholder="reservation id", id="rid")
            yield SteadyStatic("", id="problem")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Cancel it", id="cancel-it", variant="error")
                yield Button("Change it", id="edit", variant="primary")

    def _go(self, action: str) -> None:
        value = self.query_one("#rid", Input).value.strip()
        problem = reservation_id_problem(value)
        self.query_one("#problem", Static).update(problem or "")
        if problem is None:
            self.dismiss((action, value))

    @on(Input.Submitted, "#rid")
    @on(Button.Pressed, "#edit")
    def edit(self) -> None:
        self._go("edit")

    @on(Button.Pressed, "#cancel-it")
    def cancel_it(self) -> None:
        self._go("cancel")
