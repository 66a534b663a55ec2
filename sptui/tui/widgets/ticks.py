"""Checkboxes and ticked lists whose state reads without colour.

Textual draws the same ``X`` in a box whether it is on or off and tells them apart by colour
alone, so with NO_COLOR (or a colour-blind eye, or a monochrome terminal over SSH) every box
looks ticked. These draw ``X`` when on and leave the box empty when off.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton

ON = "X"
OFF = " "

T = TypeVar("T")


class TickBox(Checkbox):
    """A checkbox that shows ``X`` only when ticked."""

    @property
    def _button(self) -> Content:
        button = super()._button
        if self.value:
            return button
        # the same box, its mark blanked: the middle character is BUTTON_INNER
        left = len(self.BUTTON_LEFT)
        return Content.assemble(
            button[:left],
            (OFF * len(self.BUTTON_INNER), ""),
            button[left + len(self.BUTTON_INNER) :],
        )


class TickList(SelectionList[T]):
    """A selection list whose boxes show ``X`` only on the ticked lines."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except Exception:  # a line below the last option: nothing to mark
            return line
        if selection.value in self._selected:
            return line
        segments = list(line)
        inner = len(ToggleButton.BUTTON_LEFT)
        if len(segments) > inner and segments[inner].text == ToggleButton.BUTTON_INNER:
            mark = segments[inner]
            segments[inner] = Segment(OFF * len(mark.text), mark.style, mark.control)
            return Strip(segments, line.cell_length)
        return line
