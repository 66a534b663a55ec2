"""The look every dialog shares: a centred box, label-and-input rows, problems in red, buttons
at the foot; escape or a Back/Cancel button leaving with nothing; and the first field focused
when it opens (Textual would focus the first focusable widget, often the scroll box around the
fields, so typing went nowhere)."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button

from ..focus import QuietFocus

ResultType = TypeVar("ResultType")


FIELDS = "Input, Select, SelectionList, OptionList, Checkbox"
"""What a person fills in: the first of these is focused when a dialog opens."""


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
    AUTO_FOCUS = FIELDS
    """Textual focuses the first focusable widget that matches, once composed (an on_mount
    that focuses something else still has the last word)."""

    def _update_auto_focus(self) -> None:
        super()._update_auto_focus()
        if self.focused is None:  # a dialog without fields: whatever takes focus first
            found = next((w for w in self.query("*") if w.focusable), None)
            if found is not None:
                self.set_focus(found)

    @on(Button.Pressed, "#back, #cancel")
    def leave(self) -> None:
        self.dismiss(None)
