"""Widgets that repaint only when what they show changes.

Textual's ``Static.update`` repaints (and re-lays out) even when handed the text it already
shows, and its ``Footer`` rebuilds all its keys whenever the screen's bindings are looked at
again (after every focus change, and on the screen behind a dialog, where it repaints the whole
dialog over it). Status lines, hints and detail panes are updated on every keypress, page and
watch round, mostly with the same words; over SSH each of those repaints is bytes for nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.visual import VisualType
from textual.widgets import Footer, Static


def same_content(shown: VisualType, given: VisualType) -> bool:
    """True when ``given`` would draw exactly what ``shown`` draws (strings and Rich Text)."""
    if isinstance(shown, str) and isinstance(given, str):
        return shown == given
    if isinstance(shown, Text) and isinstance(given, Text):
        return _text_key(shown) == _text_key(given)
    return False  # another renderable: no cheap way to tell, so draw it


def _text_key(text: Text) -> tuple[object, ...]:
    # Text.__eq__ compares only the characters and spans, not the base style or the wrapping.
    return (text.plain, text.spans, text.style, text.justify, text.overflow, text.no_wrap)


class SteadyStatic(Static):
    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if not same_content(self.content, content):
            super().update(content, layout=layout)


class SteadyFooter(Footer):
    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._keys: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        keys = self._shown_keys(screen)
        if keys == self._keys:
            return
        if screen.app.app_focus and screen is self.screen:  # when Footer redraws at all
            self._keys = keys
        super().bindings_changed(screen)

    def _shown_keys(self, screen: Screen[object]) -> tuple[tuple[object, ...], ...]:
        """Every key the footer would draw and how (the palette key is among the bindings)."""
        return tuple(
            (binding.key, binding.key_display, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )
