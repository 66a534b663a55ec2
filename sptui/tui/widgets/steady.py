"""Widgets that repaint only when what they show changes.

Textual's ``Static.update`` repaints (and re-lays out) even when handed the text it already
shows, and its ``Footer`` rebuilds all its keys whenever the screen's bindings are looked at
again (after every focus change, and on the screen behind a dialog, where it repaints the whole
dialog over it). Status lines, hints and detail panes are updated on every keypress, page and
watch round, mostly with the same words; over SSH each of those repaints is bytes for nothing.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from .fitted import Fitted, Phrases


def same_content(shown: VisualType, given: VisualType) -> bool:
    """True when ``given`` would draw exactly what ``shown`` draws (strings and Rich Text)."""
    if isinstance(shown, str) and isinstance(given, str):
        return shown == given
    if isinstance(shown, Text) and isinstance(given, Text):
        return _text_key(shown) == _text_key(given)
    if isinstance(given, Fitted | Phrases):
        return shown == given  # they say what they draw
    return False  # another renderable: no cheap way to tell, so draw it


def _text_key(text: Text) -> tuple[object, ...]:
    # Text.__eq__ compares only the characters and spans, not the base style or the wrapping.
    return (text.plain, text.spans, text.style, text.justify, text.overflow, text.no_wrap)


class SteadyStatic(Static):
    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if not same_content(self.content, content):
            super().update(content, layout=layout)


KEEP = "help"
"""The one key a footer never gives up: ``?`` lists every key that did not fit."""


def key_width(key: FooterKey, compact: bool) -> int:
    """The cells a footer key takes, its margin included (as Textual's Footer CSS lays it)."""
    description = 1 + cell_len(key.description) if key.description else 0
    if key.has_class("-command-palette"):
        return 1 + cell_len(key.key_display) + description + (0 if compact else 1)  # its border
    padding = 0 if compact else 2
    return cell_len(key.key_display) + description + padding + 1  # a cell of margin after it


def fitting(keys: list[FooterKey], width: int, compact: bool) -> list[FooterKey]:
    """The keys that fit in ``width``, whole: the last ones give way first, ``?`` never does."""
    shown = list(keys)
    room = width - sum(key_width(k, compact) for k in keys if k.has_class("-command-palette"))
    while sum(key_width(k, compact) for k in shown if not k.has_class("-command-palette")) > room:
        give_way = [k for k in shown if k.action != KEEP and not k.has_class("-command-palette")]
        if not give_way:
            break
        shown.remove(give_way[-1])
    return shown


class SteadyFooter(Footer):
    """A footer that shows only the keys it has room for, each whole (a key cut in half, or
    one hidden under the palette key, reads as nonsense), and repaints only when they change."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._keys: tuple[tuple[object, ...], ...] | None = None
        self._fitted: tuple[str, ...] = ()
        """The actions of the keys shown, to tell whether a resize changes them."""

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def compose(self) -> ComposeResult:
        made: list[Widget] = list(super().compose())
        keys = [k for k in made if isinstance(k, FooterKey)]
        shown = fitting(keys, self._width(), self.compact)
        self._fitted = tuple(k.action for k in shown)
        yield from (w for w in made if not isinstance(w, FooterKey) or w in shown)

    def on_resize(self, event: events.Resize) -> None:
        if not self._bindings_ready or not self._fitted:
            return
        every = [k for k in super().compose() if isinstance(k, FooterKey)]  # before fitting
        if tuple(k.action for k in fitting(every, event.size.width, self.compact)) != self._fitted:
            self.call_after_refresh(self.recompose)

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
