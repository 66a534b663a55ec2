"""The look every dialog shares: a centred box, label-and-input rows, problems in red, buttons
at the foot; and escape or a Back/Cancel button leaving with nothing."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button

from ..focus import QuietFocus

ResultType = TypeVar("ResultType")


class Dialog(QuietFocus, ModalScreen[ResultType]):
    """Subclasses set their own box width and label width; the rest is here."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical { width: 84; max-width: 100%; height: auto; max-height: 100%; border: round $primary; background: $surface; padding: 0 1; }
    Dialog > Vertical > Label { width: 100%; }
    Dialog VerticalScroll { height: auto; max-height: 1fr; }
    Dialog .row { height: 1; }
    Dialog .row > Input { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    Dialog .problem, Dialog #problem { color: $error; height: auto; }
    Dialog #buttons { dock: bottom; height: 3; align-horizontal: right; }
    Dialog #buttons Button { margin-left: 1; }
    """

    @on(Button.Pressed, "#back, #cancel")
    def leave(self) -> None:
        self.dismiss(None)
